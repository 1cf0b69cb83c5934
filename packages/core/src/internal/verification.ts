import type { Clock } from '../clock.js';
import type { Device } from '../device.js';
import type { ChallengeContext, ChallengeIssue } from '../hooks.js';
import { DeliveryError, SecretError } from '../errors.js';
import type { ChallengeOutcome, VerifyOutcome, VerifyRefusal } from '../outcomes.js';
import type { SendLimits } from '../send-limits.js';
import { parsePersistentId } from '../persistent-id.js';
import { servesUse, type DeviceUse } from '../device-purpose.js';
import type { SecretBox } from '../secret-box.js';
import { guessCost } from '../guessing.js';
import { ALLOWED, throttleAllowance, type ThrottlePolicy, type VerifyAllowance } from '../throttle.js';
import { isRejection, type CheckChange, type CheckResult, type VerifyContext } from '../verify-context.js';
import { assignChange, pendingState, recordFailure, restorePending, samePending, type ChangedState } from './device-change.js';
import type { DestinationQuotaTable } from './destination-quota.js';
import type { DeviceTable } from './device-table.js';
import { openSecret } from './sealed-secrets.js';
import { countSend, refundSend, type SendWindow } from './send-window.js';
import type { Call, Row, SqlDriver, SqlSession } from './sql-session.js';
import type { UserBudget, UserBudgetTable } from './user-budget.js';
import { stored } from './stored.js';

/** What a destination's digest is bound to: one per address across users, so limits follow the address. */
const DESTINATION_BINDING = Object.freeze({ table: 'otp_send_destination', column: 'digest', id: 0, userId: '' });

const NO_DEVICE = Object.freeze({ ok: false, reason: 'no_device' } as const);
/** Input that can never be a token: nothing is looked up, charged or reported about the budget. */
const MALFORMED: VerifyRefusal = Object.freeze({ ok: false, reason: 'malformed_token' });
/** A genuine token the device's own state refuses (a signature counter that went back): nothing is written. */
const SUSPECTED_CLONE: VerifyRefusal = Object.freeze({ ok: false, reason: 'suspected_clone' });
/** A miss at an unguessable device: nothing is charged or throttled. */
const UNCHARGED_MISS: VerifyRefusal = Object.freeze({ ok: false, reason: 'invalid_token', failureCount: 0, lockedUntil: null });

/** What a verification needs from its otp instance. */
export interface VerificationSetup {
  readonly driver: SqlDriver;
  readonly clock: Clock;
  readonly secretBox: SecretBox;
  /** Device tables by type, in plugin order (the order `matchToken` tries them). */
  readonly tables: ReadonlyMap<string, DeviceTable>;
  readonly userBudget: UserBudgetTable;
  readonly destinationQuota: DestinationQuotaTable;
  /** The policy of the user's guessing budget. */
  readonly guessThrottle: ThrottlePolicy;
  readonly sendLimits: SendLimits;
}

/**
 * Which of the user's devices a verification accepts: confirmed ones that serve a use (a second
 * factor, or a sign-in on its own), or any, unconfirmed included (confirmation).
 */
export type Want = DeviceUse | 'any';

/** A verification's outcome, and whether it confirmed a device that was not confirmed before (an enrolment). */
export interface Verified {
  readonly outcome: VerifyOutcome;
  readonly confirmed: boolean;
}

/** What a challenge charged to the daily send limits, to give back if delivery fails. */
interface SendCharge {
  readonly user: SendWindow;
  readonly destination: { readonly digest: string; readonly sends: SendWindow } | null;
}

/** A token committed by a challenge and not yet delivered. */
interface Issued {
  readonly device: Device;
  readonly issue: ChallengeIssue<Device>;
  /** What the issue changed, before and as written. */
  readonly previous: ChangedState;
  readonly written: ChangedState;
  /** What the daily send limits counted, or `null` for a challenge that sends no message (WebAuthn). */
  readonly charge: SendCharge | null;
}

/**
 * The verification path: every check and every state change of a verification happens in one
 * transaction that holds the row locks, with statements prepared once. Every guessing path of a
 * user (verify, match, confirm) locks the user's budget row first, then device rows, and charges
 * its misses to that one budget; unguessable devices (backup codes) skip it altogether.
 */
export class Verification {
  readonly #setup: VerificationSetup;

  constructor(setup: VerificationSetup) {
    this.#setup = setup;
  }

  /**
   * The device a persistent id names, read with a prepared statement and no lock, on the primary or
   * on `driver` (a replica's); `null` if none.
   */
  async find(persistentId: unknown, driver: SqlDriver = this.#setup.driver): Promise<Device | null> {
    const target = this.#target(persistentId);
    if (target === null) return null;
    const { table, id } = target;
    const rows = await stored(() => driver.connection((session) => session.rows(table.byId, [id])));
    return rows.length === 0 ? null : table.toDevice(rows[0]!);
  }

  /**
   * Verifies `token` against one device of `userId` that serves `want` (any other is `no_device`);
   * `want: 'any'` also accepts an unconfirmed one (not yet expired) and confirms it, which the answer says (decided under the row lock, so two
   * racing confirmations never both report one). A guessable device's miss is charged to the user's budget.
   */
  async verify(userId: string, persistentId: unknown, token: unknown, want: Want): Promise<Verified> {
    const target = this.#target(persistentId);
    if (target === null) return { outcome: NO_DEVICE, confirmed: false };
    const { table, id } = target;
    const parsed = table.model.parseToken(token);
    if (parsed === null) return { outcome: MALFORMED, confirmed: false };
    const reads = [{ statement: table.lockById, values: [id] }, ...table.childReads({ id })];
    return this.#locked(userId, table.guessable, reads, async (session, budget, [rows, ...children]): Promise<Verified> => {
      const device = this.#owned(table, rows!, userId, want);
      const now = this.#setup.clock();
      if (device === null || device.enrolmentExpired(now)) return { outcome: NO_DEVICE, confirmed: false };
      const chance = device.guessChance();
      const allowance = this.#allowance(budget, chance, device, now);
      if (!allowance.allowed) return { outcome: this.#refused(allowance), confirmed: false };
      const wasConfirmed = device.confirmed;
      const change = await device.check(parsed as string, this.#context(table, now, device, children));
      if (isRejection(change)) return { outcome: SUSPECTED_CLONE, confirmed: false };
      if (change !== null && (await this.#apply(session, table, device, change, now))) {
        if (budget !== null) this.#resetBudget(session, userId, budget);
        return { outcome: { ok: true, device }, confirmed: !wasConfirmed };
      }
      if (budget === null) return { outcome: UNCHARGED_MISS, confirmed: false };
      recordFailure(device, now);
      table.write(session, device);
      const charged = this.#charge(session, userId, budget, chance, now);
      return { outcome: this.#failed(charged.failureCount, this.#allowance(charged, chance, device, now)), confirmed: false };
    });
  }

  /**
   * Tries `token` against each confirmed second-factor device of `userId`, in plugin order, and stops at the
   * first match. A miss is charged to the user's budget (by the chance of the guessable devices it
   * was tested against), never to the devices tried. A spent budget still lets unguessable devices match.
   */
  async match(userId: string, token: unknown): Promise<VerifyOutcome> {
    const parsed = new Map([...this.#setup.tables.values()].map((table) => [table, table.model.parseToken(token)]));
    if ([...parsed.values()].every((value) => value === null)) return MALFORMED;
    const tables = [...this.#setup.tables.values()];
    const reads = tables.map((table) => [{ statement: table.lockConfirmedForUser, values: [userId, 1] }, ...table.childReads({ userId })]);
    return this.#locked(userId, true, reads.flat(), async (session, budget, read): Promise<VerifyOutcome> => {
      const now = this.#setup.clock();
      // Every candidate is locked first: what a miss costs (and so whether the budget allows it)
      // depends on the chance of all the guessable devices the token will be tested against.
      const candidates: { table: DeviceTable; device: Device; children: Row[][] }[] = [];
      let at = 0;
      tables.forEach((table, index) => {
        const [rows, ...children] = read.slice(at, (at += reads[index]!.length));
        for (const row of rows!) {
          const device = table.toDevice(row);
          if (device.userId === userId && device.verifyIsAllowed(now).allowed) candidates.push({ table, device, children });
        }
      });
      const chance = candidates.reduce((sum, { table, device }) => (table.guessable ? sum + device.guessChance() : sum), 0);
      const shared = this.#budgetAllowance(budget!, chance, now);
      for (const { table, device, children } of candidates) {
        // A spent budget still lets unguessable devices (backup codes) match.
        if (!shared.allowed && table.guessable) continue;
        const candidate = parsed.get(table);
        if (candidate === null || candidate === undefined) continue;
        const change = await this.#matches(device, candidate, this.#context(table, now, device, children));
        if (isRejection(change)) return SUSPECTED_CLONE;
        if (change === null || !(await this.#apply(session, table, device, change, now))) continue;
        this.#resetBudget(session, userId, budget!);
        return { ok: true, device };
      }
      if (!shared.allowed) return this.#refused(shared);
      const charged = this.#charge(session, userId, budget!, chance, now);
      return this.#failed(charged.failureCount, this.#budgetAllowance(charged, chance, now));
    });
  }

  /**
   * Generates and sends a token for an interactive device, within the daily send limits of the
   * user and of the destination. The token and the counts are committed first; it is sent after the
   * row locks are released. If sending fails, a second transaction withdraws the token and the
   * cooldown it started (an earlier, still valid token keeps working), gives the counts back, and
   * a `DeliveryError` is thrown.
   */
  async challenge(userId: string, persistentId: unknown, context: ChallengeContext): Promise<ChallengeOutcome> {
    const target = this.#target(persistentId);
    if (target === null) return NO_DEVICE;
    const { table, id } = target;
    // The destination may need the users table: read it before any lock is taken.
    const digest = await this.#destinationDigest(userId, persistentId);
    const issued = await this.#transaction(async (session): Promise<ChallengeOutcome | Issued> => {
      const user = await this.#setup.userBudget.lock(session, userId);
      const device = this.#owned(table, await session.rows(table.lockById, [id]), userId, 'any');
      const now = this.#setup.clock();
      if (device === null || device.enrolmentExpired(now)) return NO_DEVICE;
      if (device.issueChallenge === undefined) return { ok: false, reason: 'not_interactive' };
      const allowance = device.generateIsAllowed(now);
      if (!allowance.allowed) return { ok: false, reason: 'cooldown', nextAt: allowance.nextAt };
      const issue = device.issueChallenge(now, context);
      const charge = issue.sends === false ? null : await this.#chargeSend(session, userId, user, digest, now);
      if (charge !== null && 'retryAt' in charge) return { ok: false, reason: 'daily_limit', retryAt: charge.retryAt };
      const previous = pendingState(device, issue);
      assignChange(device, issue);
      table.write(session, device);
      return { device, issue, previous, written: pendingState(device, issue), charge };
    });
    if (!('issue' in issued)) return issued;
    const { device, issue } = issued;
    try {
      const message = await issue.deliver(context);
      const sent = { ok: true, device, message, validUntil: issue.validUntil } as const;
      return issue.request === undefined ? sent : { ...sent, request: issue.request };
    } catch (error) {
      await this.#withdraw(table, userId, issued);
      throw error instanceof DeliveryError ? error : new DeliveryError(undefined, { cause: error });
    }
  }

  /**
   * Counts one message sent on the user's behalf that is not a token (a help request to the
   * administrators, say) against the user's daily send limit, or says when one is allowed again.
   */
  async countUserSend(userId: string): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: 'daily_limit'; readonly retryAt: number }> {
    const { userBudget, sendLimits } = this.#setup;
    return this.#transaction(async (session) => {
      const user = await userBudget.lock(session, userId);
      const counted = countSend(user.sends, this.#setup.clock(), sendLimits.perUser);
      if ('retryAt' in counted) return { ok: false, reason: 'daily_limit', retryAt: counted.retryAt } as const;
      userBudget.storeSends(session, userId, counted.next);
      return { ok: true } as const;
    });
  }

  /**
   * Counts one message sent to an address that belongs to no device yet (a registration code)
   * against the daily limit of that destination, in the bucket of enrolment sends, or says when
   * one is allowed again.
   */
  async countDestinationSend(destination: string): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: 'daily_limit'; readonly retryAt: number }> {
    const { destinationQuota, sendLimits } = this.#setup;
    const digest = this.#destinationKey('enrolment', destination);
    return this.#transaction(async (session) => {
      const counted = countSend(await destinationQuota.lock(session, digest), this.#setup.clock(), sendLimits.perDestination);
      if ('retryAt' in counted) return { ok: false, reason: 'daily_limit', retryAt: counted.retryAt } as const;
      destinationQuota.store(session, digest, counted.next);
      return { ok: true } as const;
    });
  }

  /** The keyed digest a destination's sends are counted under, per bucket (enrolment or sign-in). */
  #destinationKey(bucket: 'sign-in' | 'enrolment', destination: string): string {
    return this.#setup.secretBox.digest(`destination:${bucket}:${destination.trim().toLowerCase()}`, DESTINATION_BINDING);
  }

  /**
   * The keyed digest of the destination of the user's side-channel device, or `null` when it has
   * none. Enrolment sends (unconfirmed devices) and sign-in sends (confirmed ones) count in separate
   * buckets, so another account starting enrolments to an address cannot spend its owner's codes.
   */
  async #destinationDigest(userId: string, persistentId: unknown): Promise<string | null> {
    const preview = await this.find(persistentId);
    if (preview === null || !preview.isInteractive() || preview.userId !== userId) return null;
    const destination = await preview.destination();
    if (destination === null || destination.trim() === '') return null;
    return this.#destinationKey(preview.confirmed ? 'sign-in' : 'enrolment', destination);
  }

  /** Counts a send against the user's and the destination's daily limits, or says when one is allowed again. */
  async #chargeSend(
    session: SqlSession,
    userId: string,
    user: UserBudget,
    digest: string | null,
    now: number,
  ): Promise<SendCharge | { readonly retryAt: number }> {
    const { sendLimits, userBudget, destinationQuota } = this.#setup;
    const perUser = countSend(user.sends, now, sendLimits.perUser);
    if ('retryAt' in perUser) return perUser;
    let destination: SendCharge['destination'] = null;
    if (digest !== null) {
      const perDestination = countSend(await destinationQuota.lock(session, digest), now, sendLimits.perDestination);
      if ('retryAt' in perDestination) return perDestination;
      destinationQuota.store(session, digest, perDestination.next);
      destination = { digest, sends: perDestination.next };
    }
    userBudget.storeSends(session, userId, perUser.next);
    return { user: perUser.next, destination };
  }

  /** Withdraws an undelivered token and gives its sends back; locks in the usual order (user, device, destination). */
  async #withdraw(table: DeviceTable, userId: string, issued: Issued): Promise<void> {
    const { device, previous, written, charge } = issued;
    const { userBudget, destinationQuota } = this.#setup;
    await this.#transaction(async (session) => {
      const user = await userBudget.lock(session, userId);
      if (charge !== null) userBudget.storeSends(session, userId, refundSend(user.sends, charge.user));
      const rows = await session.rows(table.lockById, [device.id]);
      const current = rows.length === 0 ? null : table.toDevice(rows[0]!);
      if (current !== null && samePending(pendingState(current, written), written)) {
        // else a newer token was issued meanwhile
        restorePending(current, previous);
        table.write(session, current);
      }
      if (charge !== null && charge.destination !== null) {
        const { digest, sends } = charge.destination;
        destinationQuota.store(session, digest, refundSend(await destinationQuota.lock(session, digest), sends));
      }
    });
  }

  /** Charges a miss tested with success chance `chance` to the user's budget; returns the budget after it. */
  #charge(session: SqlSession, userId: string, budget: UserBudget, chance: number, now: number): Pick<UserBudget, 'failureCount' | 'lastFailureAt'> {
    const cost = guessCost(chance);
    if (cost === 0) return budget;
    const failureCount = budget.failureCount + cost;
    this.#setup.userBudget.storeFailures(session, userId, failureCount, now);
    return { failureCount, lastFailureAt: now };
  }

  #resetBudget(session: SqlSession, userId: string, budget: UserBudget): void {
    if (budget.failureCount > 0) this.#setup.userBudget.storeFailures(session, userId, 0, null);
  }

  /** Whether the user's budget allows a guess tested with success chance `chance` (waiting the delays of all its units). */
  #budgetAllowance(budget: Pick<UserBudget, 'failureCount' | 'lastFailureAt'>, chance: number, now: number): VerifyAllowance {
    const cost = guessCost(chance);
    if (cost === 0) return ALLOWED;
    return throttleAllowance(budget.failureCount, budget.lastFailureAt, now, this.#setup.guessThrottle, cost);
  }

  /** Whether a verification may go ahead: the user's budget (when charged) and the device's own throttle both allow it. */
  #allowance(budget: Pick<UserBudget, 'failureCount' | 'lastFailureAt'> | null, chance: number, device: Device, now: number): VerifyAllowance {
    const own = device.verifyIsAllowed(now);
    if (budget === null) return own;
    const shared = this.#budgetAllowance(budget, chance, now);
    if (shared.allowed) return own;
    if (own.allowed) return shared;
    return own.lockedUntil > shared.lockedUntil ? { ...shared, lockedUntil: own.lockedUntil } : shared;
  }

  /** The table and row id a persistent id names, or `null` when it is malformed or of an unknown type. */
  #target(persistentId: unknown): { table: DeviceTable; id: number } | null {
    const parts = parsePersistentId(persistentId);
    const table = parts === null ? undefined : this.#setup.tables.get(parts.type);
    return parts === null || table === undefined ? null : { table, id: parts.id };
  }

  /** The device in `rows` (read by id) if it is the user's and serves `want`, else `null`. */
  #owned(table: DeviceTable, rows: readonly Row[], userId: string, want: Want): Device | null {
    if (rows.length === 0) return null;
    const device = table.toDevice(rows[0]!);
    if (device.userId !== userId) return null;
    if (want !== 'any' && !(device.confirmed && servesUse(device.purpose, want))) return null;
    return device;
  }

  /**
   * Whether `device` accepts `token` in `match`. A device whose secret the configured keys cannot
   * open is passed over, so the user's other devices (backup codes) keep working; `verify` on that
   * device throws the `SecretError`, and `checkSecrets` reports it.
   */
  async #matches(device: Device, token: unknown, context: VerifyContext): Promise<CheckResult<Device>> {
    try {
      return await device.check(token as string, context);
    } catch (error) {
      if (error instanceof SecretError) return null;
      throw error;
    }
  }

  /**
   * Writes a successful check's change under the lock: child rows consumed, fields and secrets
   * assigned, the throttle reset, `lastUsedAt` stamped, the device confirmed. Returns `false`
   * (nothing written) when a consumed child row is gone.
   */
  async #apply(session: SqlSession, table: DeviceTable, device: Device, change: CheckChange<Device>, now: number): Promise<boolean> {
    if (change.consume !== undefined && !(await table.consume(session, device, change.consume))) return false;
    assignChange(device, change);
    device.throttlingFailureCount = 0;
    device.throttlingFailureTimestamp = null;
    device.lastUsedAt = now;
    device.confirmed = true;
    table.write(session, device);
    return true;
  }

  /** The check's context: the time, the device's secrets (opened on demand) and its child rows, read under the lock. */
  #context(table: DeviceTable, now: number, device: Device, childRows: readonly Row[][]): VerifyContext {
    const children = table.childrenOf(device, childRows);
    const { secretBox } = this.#setup;
    return {
      now,
      secret: (property) => openSecret(device, property),
      findChild: (name, values) => table.findChild(secretBox, device, name, children.get(name) ?? [], values),
    };
  }

  #refused(allowance: VerifyAllowance & { allowed: false }): VerifyRefusal {
    return { ok: false, reason: 'throttled', failureCount: allowance.failureCount, lockedUntil: allowance.lockedUntil };
  }

  #failed(failureCount: number, next: VerifyAllowance): VerifyRefusal {
    const lockedUntil = next.allowed ? null : next.lockedUntil;
    return { ok: false, reason: 'invalid_token', failureCount, lockedUntil };
  }

  /**
   * Runs `work` in one transaction after locking the user's budget row (when `charged`: created if
   * missing, locked first) and running `reads`, all in the transaction's first round trip.
   */
  #locked<T>(
    userId: string,
    charged: boolean,
    reads: readonly Call[],
    work: (session: SqlSession, budget: UserBudget | null, rows: Row[][]) => Promise<T>,
  ): Promise<T> {
    const { userBudget } = this.#setup;
    return this.#transaction(async (session) => {
      if (!charged) return work(session, null, await session.batch(reads));
      const budgetCalls = userBudget.lockCalls(userId);
      const rows = await session.batch([...budgetCalls, ...reads]);
      const row = rows[budgetCalls.length - 1]![0];
      // Only SQLite's lock calls leave a missing row missing; its transaction already excludes every other writer.
      const budget = row === undefined ? await userBudget.lock(session, userId) : userBudget.fromRow(row);
      return work(session, budget, rows.slice(budgetCalls.length));
    });
  }

  #transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return stored(() => this.#setup.driver.transaction(work));
  }

}

