import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from './clock.js';
import type { Device } from './device.js';
import { ValidationError } from './errors.js';
import type { EventMeta } from './events.js';
import type { EventInput } from './internal/event-bus.js';
import type { SecretBinding, SecretBox } from './secret-box.js';
import { storedUserId, type UserId } from './user-id.js';
import { stored } from './internal/stored.js';

const TABLE = 'otp_remembered_browser';
/** A cookie token: 32 random bytes, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const MAX_USER_AGENT = 255;

/** One remembered browser as stored and listed: never its token. */
export interface RememberedBrowser {
  /** The row id, for listing and revoking. */
  readonly id: number;
  /** The user it skips the second factor for (stored form). */
  readonly userId: string;
  /** The persistent id of the device whose verification it remembers (`totp/3`). */
  readonly deviceId: string;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms: when it last verified a session. */
  readonly lastSeenAt: number;
  /** Epoch ms: after this it no longer counts. */
  readonly expiresAt: number;
  /** The `User-Agent` it was remembered with, cut to 255 characters, or `null`. */
  readonly userAgent: string | null;
}

/** What {@link RememberedBrowsers.remember} records besides the user and device. */
export interface RememberBrowserOptions {
  /** Seconds the browser skips the second factor (a positive whole number). */
  readonly ttlSeconds: number;
  /** The browser's `User-Agent`, shown in the list; cut to 255 characters. @default null */
  readonly userAgent?: string | null;
}

/** A valid remember token: the browser's row and the device it remembers. */
export interface RememberedBrowserMatch {
  readonly browser: RememberedBrowser;
  readonly device: Device;
}

interface Row {
  id: number | string;
  token_hash: string;
  binding: string;
  user_id: string;
  device_id: string;
  created_at: number | string;
  last_seen_at: number | string;
  expires_at: number | string;
  user_agent: string | null;
}

/** What a token's lookup digest is bound to: the table and column only (it is looked up before the row is known). */
const LOOKUP: SecretBinding = Object.freeze({ table: TABLE, column: 'token_hash', id: 0, userId: '' });

/** What a row's binding digest covers: the token, the device and the expiry, under the owner. */
const bindingValue = (token: string, deviceId: string, expiresAt: number) => `${token}\n${deviceId}\n${expiresAt}`;
const bindingOf = (owner: string): SecretBinding => ({ table: TABLE, column: 'binding', id: 0, userId: owner });

/** Whether `stored` is one of `candidates`, compared in constant time. */
function isOneOf(stored: string, candidates: readonly string[]): boolean {
  const given = Buffer.from(stored, 'utf8');
  let found = false;
  for (const candidate of candidates) {
    const expected = Buffer.from(candidate, 'utf8');
    if (expected.length === given.length && timingSafeEqual(expected, given)) found = true;
  }
  return found;
}

/** Reports a committed change to the otp instance's hooks and audit table. */
type Report = (event: EventInput, meta?: EventMeta) => Promise<void>;

function browserOf(row: Row): RememberedBrowser {
  return {
    id: Number(row.id),
    userId: row.user_id,
    deviceId: row.device_id,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    expiresAt: Number(row.expires_at),
    userAgent: row.user_agent,
  };
}

/**
 * Remembered browsers (`otp.browsers`): server-side rows behind a "remember this browser" cookie.
 * The cookie carries only a random 256-bit token; the table keeps its digest (keyed, HMAC-SHA-256,
 * when `secretKeys` are configured, like backup codes), so a copy of the database yields no usable
 * cookie, and a second keyed digest binds the row to its owner, device and expiry, so someone who
 * can write the table but holds no key can neither forge a row nor move one to another user. A token counts only while its row exists, has not expired,
 * and its device still exists, is confirmed, is the user's and is not newer than the row. Users,
 * admins and the CLI list and revoke rows; removing a device revokes the browsers it remembered.
 * Remembering is reported as `browserRemembered`, revoking as `browsersRevoked`.
 */
export class RememberedBrowsers {
  readonly #knex: Knex;
  readonly #clock: Clock;
  readonly #secretBox: SecretBox;
  readonly #findDevice: (persistentId: string) => Promise<Device | null>;
  readonly #report: Report;

  /** Built by `createOtp`; use `otp.browsers`. */
  constructor(knex: Knex, clock: Clock, secretBox: SecretBox, findDevice: (persistentId: string) => Promise<Device | null>, report: Report) {
    this.#knex = knex;
    this.#clock = clock;
    this.#secretBox = secretBox;
    this.#findDevice = findDevice;
    this.#report = report;
  }

  /**
   * Remembers a browser for `userId`, verified with the device `deviceId`. Returns the token for
   * the cookie (shown once, never stored) and the row. Also drops the user's expired rows.
   * @throws ValidationError for a bad user id or `ttlSeconds`.
   */
  async remember(userId: UserId, deviceId: string, options: RememberBrowserOptions, meta?: EventMeta): Promise<{ token: string; browser: RememberedBrowser }> {
    const owner = storedUserId(userId);
    if (!Number.isSafeInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
      throw new ValidationError('ttlSeconds must be a positive whole number', { field: 'ttlSeconds' });
    }
    const now = this.#clock();
    const token = randomBytes(32).toString('base64url');
    const userAgent = typeof options.userAgent === 'string' ? options.userAgent.slice(0, MAX_USER_AGENT) : null;
    const expiresAt = now + options.ttlSeconds * 1000;
    const row = {
      token_hash: this.#secretBox.digest(token, LOOKUP),
      binding: this.#secretBox.digest(bindingValue(token, deviceId, expiresAt), bindingOf(owner)),
      user_id: owner,
      device_id: deviceId,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      user_agent: userAgent,
    };
    const inserted = await stored(async () => {
      await this.#knex(TABLE).where('user_id', owner).where('expires_at', '<=', now).delete();
      await this.#knex(TABLE).insert(row);
      return (await this.#knex(TABLE).where('token_hash', row.token_hash).first()) as Row;
    });
    const browser = browserOf(inserted);
    await this.#report({ type: 'browserRemembered', userId: owner, deviceId, browserId: browser.id, expiresAt }, meta);
    return { token, browser };
  }

  /**
   * The browser a cookie token remembers and its device, or `null` (malformed, unknown, expired or
   * revoked token; device gone, unconfirmed, another user's or re-created). Records `lastSeenAt`.
   */
  async find(token: unknown): Promise<RememberedBrowserMatch | null> {
    if (typeof token !== 'string' || !TOKEN.test(token)) return null;
    const hashes = this.#secretBox.digestCandidates(token, LOOKUP);
    const row = (await stored(() => this.#knex(TABLE).whereIn('token_hash', hashes).first())) as Row | undefined;
    const now = this.#clock();
    // Re-checked in JavaScript: the lookup never rests on the database's collation alone.
    if (row === undefined || !isOneOf(row.token_hash, hashes) || Number(row.expires_at) <= now) return null;
    const binding = this.#secretBox.digestCandidates(bindingValue(token, row.device_id, Number(row.expires_at)), bindingOf(row.user_id));
    if (!isOneOf(row.binding, binding)) return null;
    const device = await this.#findDevice(row.device_id);
    if (device === null || !device.confirmed || device.userId !== row.user_id || device.createdAt > Number(row.created_at)) return null;
    await stored(() => this.#knex(TABLE).where('id', row.id).update({ last_seen_at: now }));
    return { browser: browserOf({ ...row, last_seen_at: now }), device };
  }

  /** Whether the user's browser `id` is still remembered (exists and has not expired). */
  async isRemembered(userId: UserId, id: number): Promise<boolean> {
    const owner = storedUserId(userId);
    if (!Number.isSafeInteger(id)) return false;
    const row = (await stored(() => this.#knex(TABLE).select('user_id', 'expires_at').where('id', id).first())) as Row | undefined;
    return row !== undefined && row.user_id === owner && Number(row.expires_at) > this.#clock();
  }

  /** The user's remembered browsers that have not expired, newest first. */
  async list(userId: UserId): Promise<RememberedBrowser[]> {
    const owner = storedUserId(userId);
    const rows = (await stored(() => this.#knex(TABLE).where('user_id', owner).where('expires_at', '>', this.#clock()).orderBy('id', 'desc'))) as Row[];
    return rows.filter((row) => row.user_id === owner).map(browserOf);
  }

  /** Revokes one of the user's browsers. Returns whether there was one to revoke. */
  async forget(userId: UserId, id: number, meta?: EventMeta): Promise<boolean> {
    const owner = storedUserId(userId);
    if (!Number.isSafeInteger(id)) return false;
    return (await this.#revoked(owner, await stored(() => this.#knex(TABLE).where({ id, user_id: owner }).delete()), meta)) > 0;
  }

  /** Revokes the browser a cookie token names, if it is the user's. Returns whether there was one. */
  async forgetToken(userId: UserId, token: unknown, meta?: EventMeta): Promise<boolean> {
    const owner = storedUserId(userId);
    if (typeof token !== 'string' || !TOKEN.test(token)) return false;
    const hashes = this.#secretBox.digestCandidates(token, LOOKUP);
    return (await this.#revoked(owner, await stored(() => this.#knex(TABLE).whereIn('token_hash', hashes).where('user_id', owner).delete()), meta)) > 0;
  }

  /** Revokes every browser of the user. Returns how many there were. */
  async forgetAll(userId: UserId, meta?: EventMeta): Promise<number> {
    const owner = storedUserId(userId);
    return this.#revoked(owner, await stored(() => this.#knex(TABLE).where('user_id', owner).delete()), meta);
  }

  /** Revokes the browsers a device remembered, inside the transaction that removes the device. */
  async forgetDevice(trx: Knex.Transaction, deviceId: string): Promise<void> {
    await trx(TABLE).where('device_id', deviceId).delete();
  }

  /** Reports `count` revoked browsers of `owner` (none: nothing changed, nothing reported); returns `count`. */
  async #revoked(owner: string, count: number, meta: EventMeta | undefined): Promise<number> {
    if (count > 0) await this.#report({ type: 'browsersRevoked', userId: owner, deviceId: null, count }, meta);
    return count;
  }
}
