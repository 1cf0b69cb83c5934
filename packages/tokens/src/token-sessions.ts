import type { Knex } from 'knex';
import { parsePersistentId, stored, storedUserId, ValidationError, type Clock, type EventMeta, type Otp, type OtpEventBase, type TokenIssueOptions, type TokenSession, type TokenSessionsLike, type UserId } from '@otpkit/core';
import { signAccessToken, verifyAccessToken, type AccessTokenCheck } from './access-token.js';
import type { JsonWebKeySet } from './key-ring.js';
import { tokenSessionMigrations } from './migrations.js';
import { resolveOptions, type ResolvedOptions, type TokenSessionsOptions } from './options.js';
import { isSessionId, newRefreshToken, newSessionId, RefreshDigests, sessionIdOf, SESSION_TABLE, USED_TABLE } from './refresh-token.js';
import { clientText, sessionOf, type SessionRow } from './session-row.js';

const MAX_USER_AGENT = 255;
const MAX_IP = 64;
const AMR_METHOD = /^[A-Za-z0-9_-]{1,24}$/;
const MAX_AMR = 8;
const SWEEP_BATCH = 500;

/** The client a sign-in or refresh came from, kept on the session for the user's session list. */
export interface ClientMeta {
  /** The client's address (`req.ip`). @default null */
  readonly ip?: string | null;
  /** The client's `User-Agent`, cut to 255 characters. @default null */
  readonly userAgent?: string | null;
}

/** What {@link TokenSessions.issue} records about the sign-in (core's contract type). */
export type IssueOptions = TokenIssueOptions;

/** A new access token and refresh token, with their expiry. */
export interface IssuedTokens {
  /** The JWT for `Authorization: Bearer`. */
  readonly accessToken: string;
  /** The opaque token that gets the next pair; shown once, stored only as a digest. */
  readonly refreshToken: string;
  /** The session id (the access token's `sid`). */
  readonly sessionId: string;
  /** Epoch ms: the access token's `exp`. */
  readonly accessTokenExpiresAt: number;
  /** Epoch ms: when the refresh token stops working if unused (idle limit), at the latest the session's absolute expiry. */
  readonly refreshTokenExpiresAt: number;
}

/**
 * Why a refresh was refused: `invalid` (malformed, or not the session's refresh token), `expired`
 * (absolute lifetime or idle limit passed), `revoked` (logged out or revoked), `reused` (a token
 * already rotated away was presented: the session is now revoked), `superseded` (the token the
 * last rotation replaced, within `reuseGraceSeconds` of it: a concurrent refresh won; the session
 * lives on under the winner's tokens).
 */
export type RefreshRefusal = 'invalid' | 'expired' | 'revoked' | 'reused' | 'superseded';

/** What {@link TokenSessions.refresh} answers. */
export type RefreshOutcome = ({ readonly ok: true } & IssuedTokens) | { readonly ok: false; readonly reason: RefreshRefusal };

/** Options of {@link TokenSessions.verifyAccessToken}. */
export interface VerifyAccessTokenOptions {
  /** Also read the session row, refusing the token of a revoked session before its `exp`. @default false */
  readonly checkRevoked?: boolean;
}

function checkedAmr(amr: unknown): string[] {
  if (!Array.isArray(amr) || amr.length === 0 || amr.length > MAX_AMR || !amr.every((method) => typeof method === 'string' && AMR_METHOD.test(method))) {
    throw new ValidationError(`amr must list 1 to ${MAX_AMR} method names (letters, digits, - and _)`, { field: 'amr' });
  }
  return [...amr];
}

/** The caller of the otp change that revokes sessions by itself (`revokeOn`), passed on to the revocation's event. */
function metaOf(event: OtpEventBase): EventMeta {
  return { via: event.via, ip: event.ip, userAgent: event.userAgent, actor: event.actor };
}

function checkedDeviceId(deviceId: unknown): string | null {
  if (deviceId === undefined || deviceId === null) return null;
  if (parsePersistentId(deviceId) === null) throw new ValidationError('deviceId must be a persistent device id such as "totp/3"', { field: 'deviceId' });
  return deviceId as string;
}

/**
 * Token sessions for mobile apps and single-page applications: after a sign-in, a short-lived JWT
 * access token and an opaque refresh token that rotates on every use. Presenting a refresh token
 * that was already rotated away revokes the whole session (someone holds a copy). Revocation is
 * seen at once by refresh and by `verifyAccessToken(jwt, { checkRevoked: true })`; a plain
 * (stateless) verification keeps accepting an access token until its `exp`. Build it with
 * {@link createTokenSessions}.
 */
export class TokenSessions implements TokenSessionsLike {
  readonly #otp: Otp;
  readonly #options: ResolvedOptions;
  readonly #digests: RefreshDigests;

  /** Use {@link createTokenSessions}. */
  constructor(otp: Otp, options: TokenSessionsOptions) {
    this.#otp = otp;
    this.#options = resolveOptions(options);
    this.#digests = new RefreshDigests(otp.secretBox);
    const { revokeOn } = this.#options;
    otp.subscribe({
      ...(revokeOn.has('deviceRemoved') && { deviceRemoved: async (event) => void (await this.revokeForDevice(event.deviceId, metaOf(event))) }),
      ...(revokeOn.has('passwordChanged') && { passwordChanged: async (event) => void (await this.revokeAll(event.userId, metaOf(event))) }),
    });
  }

  /** The otp instance's clock (epoch ms), which every expiry and `maxAge` here is measured with. */
  get clock(): Clock {
    return this.#otp.clock;
  }

  /** Creates or updates the token-session tables (recorded as `tokens/<name>` in the otp instance's migrations table). */
  async migrate(): Promise<void> {
    await this.#otp.migrateOwner('tokens', tokenSessionMigrations);
  }

  /**
   * Starts a session for a user who has just signed in, and returns its first tokens.
   * @throws ValidationError for a bad user id, `amr`, `aal` or `deviceId`.
   */
  async issue(userId: UserId, options: IssueOptions): Promise<IssuedTokens> {
    const owner = storedUserId(userId);
    if (options === null || typeof options !== 'object') throw new ValidationError('issue needs { amr, aal }', { field: 'options' });
    const amr = checkedAmr(options.amr);
    if (options.aal !== 1 && options.aal !== 2) throw new ValidationError('aal must be 1 or 2', { field: 'aal' });
    const deviceId = checkedDeviceId(options.deviceId);
    const now = this.#otp.clock();
    const sessionId = newSessionId();
    const refreshToken = newRefreshToken(sessionId);
    const row: SessionRow = {
      id: sessionId,
      user_id: owner,
      refresh_digest: this.#digests.of(refreshToken, owner),
      generation: 0,
      created_at: now,
      last_used_at: now,
      expires_at: now + this.#options.refreshTokenSeconds * 1000,
      revoked_at: null,
      user_agent: clientText(options.userAgent, MAX_USER_AGENT),
      ip: clientText(options.ip, MAX_IP),
      amr: JSON.stringify(amr),
      aal: options.aal,
      device_id: deviceId,
    };
    await stored(() => this.#knex(SESSION_TABLE).insert(row));
    return this.#tokens(row, refreshToken, now);
  }

  /**
   * Verifies an access token: signature (current keys and retired keys within their grace), `iss`,
   * `aud` and `exp` at the injected clock. Statelessly by default: a revoked session's token keeps
   * verifying until its `exp` (at most `accessTokenSeconds`); with `checkRevoked` the session row is
   * read too. Never throws for bad input.
   */
  async verifyAccessToken(jwt: unknown, options: VerifyAccessTokenOptions = {}): Promise<AccessTokenCheck> {
    const checked = await verifyAccessToken(this.#options, jwt, this.#otp.clock());
    if (!checked.ok || options?.checkRevoked !== true) return checked;
    const row = await stored(() => this.#knex(SESSION_TABLE).where('id', checked.claims.sid).first<SessionRow | undefined>());
    const live = row !== undefined && row.user_id === checked.claims.sub && row.revoked_at === null;
    return live ? checked : { ok: false, reason: 'revoked' };
  }

  /** The public JWKS document (serve it at `/.well-known/jwks.json`): current and in-grace EdDSA and ES256 keys, never an HS256 secret. */
  jwks(): JsonWebKeySet {
    return this.#options.keys.jwks(this.#otp.clock());
  }

  /**
   * Exchanges a refresh token for a new pair (same session, next generation), under the session
   * row's lock so that of racing refreshes exactly one wins. A token already rotated away revokes
   * the session (`reused`); an unknown token for a live session id revokes nothing (`invalid`).
   * Never throws for bad input.
   */
  async refresh(refreshToken: unknown, meta: ClientMeta = {}): Promise<RefreshOutcome> {
    const sessionId = sessionIdOf(refreshToken);
    if (sessionId === null) return { ok: false, reason: 'invalid' };
    const token = refreshToken as string;
    const now = this.#otp.clock();
    const outcome = await stored(() =>
      this.#knex.transaction(async (trx) => {
        const row = await this.#lock(trx, sessionId);
        if (row === undefined) return { ok: false, reason: 'invalid' } as const;
        if (!this.#digests.matchesAny(token, row.user_id, [row.refresh_digest])) return this.#refuseUnknown(trx, row, token, now);
        if (row.revoked_at !== null) return { ok: false, reason: 'revoked' } as const;
        if (now >= this.#refreshDeadline(row)) return { ok: false, reason: 'expired' } as const;
        const next = newRefreshToken(sessionId);
        const updated: SessionRow = {
          ...row,
          refresh_digest: this.#digests.of(next, row.user_id),
          generation: Number(row.generation) + 1,
          last_used_at: now,
          user_agent: clientText(meta?.userAgent, MAX_USER_AGENT) ?? row.user_agent,
          ip: clientText(meta?.ip, MAX_IP) ?? row.ip,
        };
        await trx(USED_TABLE).insert({ session_id: sessionId, digest: row.refresh_digest });
        const { refresh_digest, generation, last_used_at, user_agent, ip } = updated;
        await trx(SESSION_TABLE).where('id', sessionId).update({ refresh_digest, generation, last_used_at, user_agent, ip });
        return { ok: true, row: updated, refreshToken: next } as const;
      }),
    );
    if (!outcome.ok) return outcome;
    return { ok: true, ...(await this.#tokens(outcome.row, outcome.refreshToken, now)) };
  }

  /** Ends one session (sign-out). Returns whether a live session was revoked; `false` for anything else. */
  async logout(sessionId: unknown): Promise<boolean> {
    if (!isSessionId(sessionId)) return false;
    return (await this.#revoke((query) => query.where('id', sessionId))) > 0;
  }

  /**
   * Ends the session `refreshToken` belongs to: sign-out for a browser that keeps only its refresh
   * cookie. Its current token revokes it; a token it rotated away from revokes it too (that is
   * reuse, as for a refresh); anything else revokes nothing. Returns whether a live session was
   * revoked. Never throws for bad input.
   */
  async logoutWithRefreshToken(refreshToken: unknown): Promise<boolean> {
    const sessionId = sessionIdOf(refreshToken);
    if (sessionId === null) return false;
    const token = refreshToken as string;
    const now = this.#otp.clock();
    return stored(() =>
      this.#knex.transaction(async (trx) => {
        const row = await this.#lock(trx, sessionId);
        if (row === undefined || row.revoked_at !== null) return false;
        if (!this.#digests.matchesAny(token, row.user_id, [row.refresh_digest])) return (await this.#refuseUnknown(trx, row, token, now)).reason === 'reused';
        await trx(SESSION_TABLE).where('id', sessionId).update({ revoked_at: now });
        return true;
      }),
    );
  }

  /**
   * Ends every session of the user except `currentSessionId` ("sign out everywhere else").
   * Returns how many were revoked (0 when `currentSessionId` is not a session id); any are
   * reported as `tokenSessionsRevoked` with `meta`.
   * @throws ValidationError for a bad user id.
   */
  async logoutOthers(userId: UserId, currentSessionId: unknown, meta?: EventMeta): Promise<number> {
    const owner = storedUserId(userId);
    if (!isSessionId(currentSessionId)) return 0;
    return this.#revokeReported(owner, (query) => query.whereNot('id', currentSessionId), meta);
  }

  /**
   * The user's live sessions (not revoked, not expired, not idle), newest first: for a "where
   * you are signed in" page. Never a token or a digest.
   * @throws ValidationError for a bad user id.
   */
  async listSessions(userId: UserId): Promise<TokenSession[]> {
    const owner = storedUserId(userId);
    const now = this.#otp.clock();
    const rows = await stored(() =>
      this.#knex(SESSION_TABLE).where('user_id', owner).whereNull('revoked_at').where('expires_at', '>', now).orderBy('created_at', 'desc').orderBy('id') as Promise<SessionRow[]>,
    );
    return rows.filter((row) => now < this.#refreshDeadline(row)).map(sessionOf);
  }

  /**
   * Revokes one of the user's own sessions (from the session list, or an administrator's).
   * Returns whether a live session was revoked, then reported as `tokenSessionsRevoked` with
   * `meta`; another user's session is left alone.
   * @throws ValidationError for a bad user id.
   */
  async revokeSession(userId: UserId, sessionId: unknown, meta?: EventMeta): Promise<boolean> {
    const owner = storedUserId(userId);
    if (!isSessionId(sessionId)) return false;
    return (await this.#revokeReported(owner, (query) => query.where('id', sessionId), meta)) > 0;
  }

  /**
   * Revokes the sessions signed in with the device `persistentId` (done on `otp.removeDevice`
   * unless `revokeOn` leaves it out), reported per user as `tokenSessionsRevoked` with `meta`.
   * Returns how many.
   */
  async revokeForDevice(persistentId: unknown, meta?: EventMeta): Promise<number> {
    if (parsePersistentId(persistentId) === null) return 0;
    const deviceId = persistentId as string;
    const owners = (await stored(() => this.#knex(SESSION_TABLE).distinct('user_id').where('device_id', deviceId).whereNull('revoked_at'))) as { user_id: string }[];
    let revoked = 0;
    for (const { user_id: owner } of owners) revoked += await this.#revokeReported(owner, (query) => query.where('device_id', deviceId), meta);
    return revoked;
  }

  /**
   * Revokes every session of the user (an account compromise, an administrator's action; done on
   * `otp.passwordChanged` unless `revokeOn` leaves it out). Returns how many; any are reported as
   * `tokenSessionsRevoked` with `meta` (on a password change, the caller of `passwordChanged`).
   * @throws ValidationError for a bad user id.
   */
  async revokeAll(userId: UserId, meta?: EventMeta): Promise<number> {
    return this.#revokeReported(storedUserId(userId), (query) => query, meta);
  }

  /**
   * Deletes the sessions that can never be used again (expired, idle past `idleSeconds`, or revoked
   * longer ago than an access token lives), with their used-token digests, in batches. Run it from
   * a scheduler, as often as `otp.sweepExpiredEnrolments`.
   * @returns how many sessions were deleted.
   */
  async sweepExpired(): Promise<number> {
    const now = this.#otp.clock();
    const idleCutoff = now - this.#options.idleSeconds * 1000;
    const revokedCutoff = now - this.#options.accessTokenSeconds * 1000;
    let deleted = 0;
    for (;;) {
      const batch = await stored(() =>
        this.#knex.transaction(async (trx) => {
          const rows = (await trx(SESSION_TABLE)
            .where((dead) => dead.where('expires_at', '<=', now).orWhere('last_used_at', '<=', idleCutoff).orWhere('revoked_at', '<=', revokedCutoff))
            .orderBy('id')
            .limit(SWEEP_BATCH)
            .select('id')) as { id: string }[];
          const ids = rows.map(({ id }) => id);
          if (ids.length > 0) {
            await trx(USED_TABLE).whereIn('session_id', ids).delete();
            await trx(SESSION_TABLE).whereIn('id', ids).delete();
          }
          return ids.length;
        }),
      );
      deleted += batch;
      if (batch < SWEEP_BATCH) return deleted;
    }
  }

  get #knex(): Knex {
    return this.#otp.knex;
  }

  /** When the session's refresh token stops working: the idle limit, at the latest its absolute expiry. */
  #refreshDeadline(row: SessionRow): number {
    return Math.min(Number(row.expires_at), Number(row.last_used_at) + this.#options.idleSeconds * 1000);
  }

  /** Locks the session row until the transaction ends and reads it (SQLite: the write lock, by a write that changes nothing). */
  async #lock(trx: Knex.Transaction, sessionId: string): Promise<SessionRow | undefined> {
    const query = trx(SESSION_TABLE).where('id', sessionId);
    if (this.#isSqlite()) {
      await trx(SESSION_TABLE).where('id', sessionId).update({ generation: trx.ref('generation') });
      return query.first<SessionRow | undefined>();
    }
    return query.forUpdate().first<SessionRow | undefined>();
  }

  #isSqlite(): boolean {
    const client = this.#knex.client.config.client;
    return client === 'better-sqlite3' || client === 'sqlite3';
  }

  /**
   * A token that is not the session's current one: a rotated-away one revokes the session (unless
   * it is the one the last rotation replaced, within the reuse grace), anything else is just refused.
   */
  async #refuseUnknown(trx: Knex.Transaction, row: SessionRow, token: string, now: number): Promise<{ ok: false; reason: 'invalid' | 'reused' | 'superseded' }> {
    const used = (await trx(USED_TABLE).where('session_id', row.id).orderBy('id').select('digest')) as { digest: string }[];
    if (!this.#digests.matchesAny(token, row.user_id, used.map(({ digest }) => digest))) return { ok: false, reason: 'invalid' };
    const replacedLast = this.#digests.matchesAny(token, row.user_id, used.slice(-1).map(({ digest }) => digest));
    if (replacedLast && row.revoked_at === null && now - Number(row.last_used_at) < this.#options.reuseGraceSeconds * 1000) return { ok: false, reason: 'superseded' };
    await trx(SESSION_TABLE).where('id', row.id).whereNull('revoked_at').update({ revoked_at: now });
    return { ok: false, reason: 'reused' };
  }

  /** Revokes the live sessions `narrow` selects; returns how many. */
  async #revoke(narrow: (query: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<number> {
    const now = this.#otp.clock();
    return stored(() => narrow(this.#knex(SESSION_TABLE)).whereNull('revoked_at').update({ revoked_at: now }) as Promise<number>);
  }

  /** Revokes the live sessions of `owner` that `narrow` selects and reports them as `tokenSessionsRevoked` (when any); returns how many. */
  async #revokeReported(owner: string, narrow: (query: Knex.QueryBuilder) => Knex.QueryBuilder, meta: EventMeta | undefined): Promise<number> {
    const count = await this.#revoke((query) => narrow(query.where('user_id', owner)));
    if (count > 0) await this.#otp.recordEvent({ type: 'tokenSessionsRevoked', userId: owner, deviceId: null, count }, meta);
    return count;
  }

  /** The access token for the session's row and the pair's expiry. */
  async #tokens(row: SessionRow, refreshToken: string, now: number): Promise<IssuedTokens> {
    const iat = Math.floor(now / 1000);
    const exp = Math.min(iat + this.#options.accessTokenSeconds, Math.floor(Number(row.expires_at) / 1000));
    const { userId: sub, id: sid, amr, aal, createdAt } = sessionOf(row);
    const accessToken = await signAccessToken(this.#options, { sub, sid, amr, aal, iat, exp, auth_time: Math.floor(createdAt / 1000) });
    return { accessToken, refreshToken, sessionId: row.id, accessTokenExpiresAt: exp * 1000, refreshTokenExpiresAt: this.#refreshDeadline(row) };
  }
}

/**
 * Token sessions over an otp instance's database, clock and secret keys (refresh tokens are stored
 * as digests keyed with its `secretKeys`). Run `await sessions.migrate()` once after `otp.migrate()`.
 * @throws ConfigurationError at start-up for a missing or misspelt option or a bad key, naming the fix.
 */
export function createTokenSessions(otp: Otp, options: TokenSessionsOptions): TokenSessions {
  return new TokenSessions(otp, options);
}
