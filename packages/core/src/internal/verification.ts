import type { Clock } from '../clock.js';
import type { ChallengeContext, Device } from '../device.js';
import { DeliveryError, OtpError, SecretError, StorageError } from '../errors.js';
import type { ChallengeOutcome, VerifyOutcome } from '../outcomes.js';
import { parsePersistentId } from '../persistent-id.js';
import type { SecretBox } from '../secret-box.js';
import { SideChannelDevice, type PendingToken } from '../side-channel-device.js';
import { throttleAllowance, type Allowance, type ThrottlePolicy } from '../throttle.js';
import { normalizeToken } from '../token.js';
import type { VerifyContext } from '../verify-context.js';
import type { DeviceTable } from './device-table.js';
import { openSecret } from './sealed-secrets.js';
import type { SqlDriver, SqlSession, Statement } from './sql-session.js';
import type { UserBudgetTable } from './user-budget.js';

const NO_DEVICE: VerifyOutcome = Object.freeze({ ok: false, reason: 'no_device' });
const MALFORMED: VerifyOutcome = Object.freeze({ ok: false, reason: 'invalid_token', failureCount: 0, lockedUntil: null });

/** What a verification needs from its otp instance. */
export interface VerificationSetup {
  readonly driver: SqlDriver;
  readonly clock: Clock;
  readonly secretBox: SecretBox;
  /** Device tables by type, in plugin order (the order `matchToken` tries them). */
  readonly tables: ReadonlyMap<string, DeviceTable>;
  readonly userBudget: UserBudgetTable;
  readonly matchThrottle: ThrottlePolicy;
}

/** Whether a locked device may be used: ownership and the confirmed state the caller needs. */
type Want = 'confirmed' | 'any';

/**
 * The verification path: every check and every state change of a verification happens in one
 * transaction that holds the device row lock, with statements prepared once.
 */
export class Verification {
  readonly #setup: VerificationSetup;
  readonly #statements = new Map<string, Statement>();

  constructor(setup: VerificationSetup) {
    this.#setup = setup;
  }

  /** The device a persistent id names, read with a prepared statement and no lock; `null` if none. */
  async find(persistentId: unknown): Promise<Device | null> {
    const target = this.#target(persistentId);
    if (target === null) return null;
    const { table, id } = target;
    const rows = await this.#storage(() => this.#setup.driver.connection((session) => session.rows(table.byId, [id])));
    return rows.length === 0 ? null : table.toDevice(rows[0]!);
  }

  /** Verifies `token` against one device of `userId`; `want: 'any'` also accepts an unconfirmed one and confirms it. */
  async verify(userId: string, persistentId: unknown, token: unknown, want: Want): Promise<VerifyOutcome> {
    const target = this.#target(persistentId);
    if (target === null) return NO_DEVICE;
    const { table, id } = target;
    const normalized = normalizeToken(token);
    if (normalized === null) return MALFORMED;
    return this.#transaction(async (session) => {
      const device = await this.#lockOwned(session, table, id, userId, want);
      if (device === null) return NO_DEVICE;
      const now = this.#setup.clock();
      const allowance = device.verifyIsAllowed(now);
      if (!allowance.allowed) return this.#refused(allowance);
      const ok = await device.checkToken(normalized, this.#context(session, now, device));
      if (ok) {
        device.recordSuccess(now);
        device.confirmed = true;
      } else {
        device.recordFailure(now);
      }
      await session.run(table.update, table.updateValues(device));
      if (ok) return { ok: true, device };
      return this.#failed(device.throttlingFailureCount, device.verifyIsAllowed(now));
    });
  }

  /**
   * Tries `token` against each confirmed device of `userId`, in plugin order, and stops at the
   * first match. A miss is charged to the user's budget, never to the devices tried.
   */
  async match(userId: string, token: unknown): Promise<VerifyOutcome> {
    const normalized = normalizeToken(token);
    if (normalized === null) return MALFORMED;
    const { userBudget, matchThrottle } = this.#setup;
    return this.#transaction(async (session) => {
      const budget = await userBudget.lock(session, userId);
      const now = this.#setup.clock();
      const allowance = throttleAllowance(budget.failureCount, budget.lastFailureAt, now, matchThrottle);
      if (!allowance.allowed) return this.#refused(allowance);
      for (const table of this.#setup.tables.values()) {
        const rows = await session.rows(table.lockConfirmedForUser, [userId, 1]);
        for (const row of rows) {
          const device = table.toDevice(row);
          if (device.userId !== userId || !device.verifyIsAllowed(now).allowed) continue;
          if (!(await this.#matches(device, normalized, this.#context(session, now, device)))) continue;
          device.recordSuccess(now);
          await session.run(table.update, table.updateValues(device));
          if (budget.failureCount > 0) await userBudget.store(session, userId, { failureCount: 0, lastFailureAt: null });
          return { ok: true, device };
        }
      }
      const failureCount = budget.failureCount + 1;
      await userBudget.store(session, userId, { failureCount, lastFailureAt: now });
      return this.#failed(failureCount, throttleAllowance(failureCount, now, now, matchThrottle));
    });
  }

  /**
   * Generates and sends a token for an interactive device. The token is committed first; it is
   * sent after the row lock is released. If sending fails, a second transaction withdraws the
   * token and the cooldown it started (an earlier, still valid token keeps working), and a
   * `DeliveryError` is thrown.
   */
  async challenge(userId: string, persistentId: unknown, context: ChallengeContext): Promise<ChallengeOutcome> {
    const target = this.#target(persistentId);
    if (target === null) return NO_DEVICE as ChallengeOutcome;
    const { table, id } = target;
    const issued = await this.#transaction(async (session) => {
      const device = await this.#lockOwned(session, table, id, userId, 'any');
      if (device === null) return NO_DEVICE as ChallengeOutcome;
      if (!(device instanceof SideChannelDevice)) return { ok: false, reason: 'not_interactive' } as const;
      const now = this.#setup.clock();
      const allowance = device.generateIsAllowed(now);
      if (!allowance.allowed) return { ok: false, reason: 'cooldown', nextAt: allowance.reason === 'cooldown' ? allowance.nextAt : now } as const;
      const previous = device.pendingState();
      const token = device.issueToken(now);
      await session.run(table.update, table.updateValues(device));
      return { device, token, previous };
    });
    if (!('token' in issued)) return issued;
    const { device, token, previous } = issued;
    try {
      const message = await device.deliver(token, context);
      return { ok: true, device, message, validUntil: device.validUntil! };
    } catch (error) {
      await this.#withdraw(table, device.id, token, previous);
      throw error instanceof DeliveryError ? error : new DeliveryError({ cause: error });
    }
  }

  async #withdraw(table: DeviceTable, id: number, token: string, previous: PendingToken): Promise<void> {
    await this.#transaction(async (session) => {
      const rows = await session.rows(table.lockById, [id]);
      if (rows.length === 0) return;
      const device = table.toDevice(rows[0]!) as SideChannelDevice;
      if (openSecret(device, 'token') !== token) return; // a newer token was issued meanwhile
      device.restorePending(previous);
      await session.run(table.update, table.updateValues(device));
    });
  }

  /** The table and row id a persistent id names, or `null` when it is malformed or of an unknown type. */
  #target(persistentId: unknown): { table: DeviceTable; id: number } | null {
    const parts = parsePersistentId(persistentId);
    const table = parts === null ? undefined : this.#setup.tables.get(parts.type);
    return parts === null || table === undefined ? null : { table, id: parts.id };
  }

  async #lockOwned(session: SqlSession, table: DeviceTable, id: number, userId: string, want: Want): Promise<Device | null> {
    const rows = await session.rows(table.lockById, [id]);
    if (rows.length === 0) return null;
    const device = table.toDevice(rows[0]!);
    if (device.userId !== userId) return null;
    if (want === 'confirmed' && !device.confirmed) return null;
    return device;
  }

  /**
   * Whether `device` accepts `token` in `match`. A device whose secret the configured keys cannot
   * open is passed over, so the user's other devices (backup codes) keep working; `verify` on that
   * device throws the `SecretError`, and `checkSecrets` reports it.
   */
  async #matches(device: Device, token: string, context: VerifyContext): Promise<boolean> {
    try {
      return await device.checkToken(token, context);
    } catch (error) {
      if (error instanceof SecretError) return false;
      throw error;
    }
  }

  #context(session: SqlSession, now: number, device: Device): VerifyContext {
    return {
      now,
      secret: (property) => openSecret(device, property),
      secretBox: this.#setup.secretBox,
      forUpdate: this.#setup.driver.dialect === 'sqlite' ? '' : ' FOR UPDATE',
      query: (sql, values) => session.rows(this.#statement(sql), values),
      execute: (sql, values) => session.run(this.#statement(sql), values),
    };
  }

  #statement(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#setup.driver.statement(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #refused(allowance: Allowance & { allowed: false }): VerifyOutcome {
    return allowance.reason === 'throttled'
      ? { ok: false, reason: 'throttled', failureCount: allowance.failureCount, lockedUntil: allowance.lockedUntil }
      : { ok: false, reason: 'throttled', failureCount: 0, lockedUntil: allowance.nextAt };
  }

  #failed(failureCount: number, next: Allowance): VerifyOutcome {
    const lockedUntil = next.allowed || next.reason !== 'throttled' ? null : next.lockedUntil;
    return { ok: false, reason: 'invalid_token', failureCount, lockedUntil };
  }

  #transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.#storage(() => this.#setup.driver.transaction(work));
  }

  async #storage<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof OtpError) throw error;
      throw new StorageError({ cause: error });
    }
  }
}

