/**
 * Refresh tokens: opaque `<sessionId>.<secret>` strings. The session id finds the row; only a
 * keyed digest of the whole token is stored, bound to its table, column and owner.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { constantTimeEqual, type SecretBinding, type SecretBox } from '@otpkit/core';

/** The session table. */
export const SESSION_TABLE = 'otp_token_session';
/** The digests of a session's rotated (used) refresh tokens. */
export const USED_TABLE = 'otp_token_refresh_used';

/** A session id: 128 random bits, base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{22}$/;
const REFRESH_TOKEN = /^([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/;

/** A new random session id. */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** A new refresh token for the session: its id and 256 random bits. */
export function newRefreshToken(sessionId: string): string {
  return `${sessionId}.${randomBytes(32).toString('base64url')}`;
}

/** Whether `value` has the form of a session id. */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID.test(value);
}

/** The session id of a well-formed refresh token, else `null`. */
export function sessionIdOf(token: unknown): string | null {
  return typeof token === 'string' ? (REFRESH_TOKEN.exec(token)?.[1] ?? null) : null;
}

/** What a refresh token's digest is bound to: the session table and the owner. */
function bindingOf(owner: string): SecretBinding {
  return { table: SESSION_TABLE, column: 'refresh_digest', id: 0, userId: owner };
}

/** Keyed digests of refresh tokens, and their constant-time matching. */
export class RefreshDigests {
  readonly #secretBox: SecretBox;

  constructor(secretBox: SecretBox) {
    this.#secretBox = secretBox;
  }

  /** The digest to store for `token` of a session of `owner`. */
  of(token: string, owner: string): string {
    return this.#secretBox.digest(token, bindingOf(owner));
  }

  /** Whether any of `stored` is a digest of `token` under a configured key; every comparison is made, in constant time. */
  matchesAny(token: string, owner: string, stored: readonly string[]): boolean {
    const candidates = this.#secretBox.digestCandidates(token, bindingOf(owner));
    let found = false;
    for (const digest of stored) {
      for (const candidate of candidates) if (constantTimeEqual(digest, candidate)) found = true;
    }
    return found;
  }
}
