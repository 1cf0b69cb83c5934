import { checkOptionKeys, ConfigurationError } from '@otpkit/core';
import type { RetiredSigningKey, SigningKey } from './signing-keys.js';
import { KeyRing } from './key-ring.js';

/** The options of {@link createTokenSessions}. */
export interface TokenSessionsOptions {
  /** The `iss` claim written and required: your service's URL, say. */
  readonly issuer: string;
  /** The `aud` claim written and required: the API the access tokens are for. */
  readonly audience: string;
  /** The keys tokens verify with; the first one signs. At least one. */
  readonly signingKeys: readonly SigningKey[];
  /** Keys that no longer sign but verify until `retiredAt + retiredKeyGraceSeconds`, then are refused. @default [] */
  readonly retiredKeys?: readonly RetiredSigningKey[];
  /** How long a retired key keeps verifying: at least the access token lifetime. @default 86400 (a day) */
  readonly retiredKeyGraceSeconds?: number;
  /** Lifetime of an access token. @default 600 (10 minutes) */
  readonly accessTokenSeconds?: number;
  /** Absolute lifetime of a session (its refresh tokens), from sign-in. @default 2592000 (30 days) */
  readonly refreshTokenSeconds?: number;
  /** A session not refreshed for this long cannot refresh any more. @default 1209600 (14 days) */
  readonly idleSeconds?: number;
  /**
   * Seconds after a rotation during which the refresh token it replaced is refused as `superseded`
   * without revoking the session: for clients that may send two refreshes at once (two tabs, a
   * retry after a timeout). The cost: a thief who refreshes first and the client within this window
   * is not detected. `0` is strict: any reuse revokes the session.
   * @default 0
   */
  readonly reuseGraceSeconds?: number;
  /**
   * The otp events that end sessions on their own: `deviceRemoved` revokes the sessions that
   * device verified, `passwordChanged` (`otp.passwordChanged(userId)`) every session of the user.
   * `[]` leaves both to you ({@link TokenSessions.revokeForDevice}, {@link TokenSessions.revokeAll}).
   * @default ['deviceRemoved', 'passwordChanged']
   */
  readonly revokeOn?: readonly RevocationEvent[];
}

/** An otp event on which token sessions revoke sessions by themselves. */
export type RevocationEvent = 'deviceRemoved' | 'passwordChanged';

const REVOCATION_EVENTS: readonly RevocationEvent[] = Object.freeze(['deviceRemoved', 'passwordChanged']);

/** The defaults of {@link TokenSessionsOptions}. */
export const DEFAULT_TOKEN_SESSIONS_OPTIONS = Object.freeze({
  retiredKeyGraceSeconds: 86_400,
  accessTokenSeconds: 600,
  refreshTokenSeconds: 30 * 86_400,
  idleSeconds: 14 * 86_400,
});

const OPTION_KEYS: readonly (keyof TokenSessionsOptions)[] = Object.freeze([
  'issuer',
  'audience',
  'signingKeys',
  'retiredKeys',
  'retiredKeyGraceSeconds',
  'accessTokenSeconds',
  'refreshTokenSeconds',
  'idleSeconds',
  'reuseGraceSeconds',
  'revokeOn',
]);

/** The checked options, with defaults filled in and keys parsed. */
export interface ResolvedOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly keys: KeyRing;
  readonly accessTokenSeconds: number;
  readonly refreshTokenSeconds: number;
  readonly idleSeconds: number;
  readonly reuseGraceSeconds: number;
  readonly revokeOn: ReadonlySet<RevocationEvent>;
}

function reuseGrace(value: unknown, accessTokenSeconds: number): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > Math.min(60, accessTokenSeconds)) {
    throw new ConfigurationError('createTokenSessions: reuseGraceSeconds must be a whole number of seconds from 0 to 60 (default 0: any reuse revokes)');
  }
  return value;
}

function revocationEvents(value: unknown): ReadonlySet<RevocationEvent> {
  if (value === undefined) return new Set(REVOCATION_EVENTS);
  if (!Array.isArray(value) || !value.every((event) => REVOCATION_EVENTS.includes(event))) {
    throw new ConfigurationError(`createTokenSessions: revokeOn lists events among ${REVOCATION_EVENTS.join(', ')} (or [] for none)`);
  }
  return new Set(value as RevocationEvent[]);
}

function seconds(name: keyof typeof DEFAULT_TOKEN_SESSIONS_OPTIONS, value: unknown): number {
  const chosen = value ?? DEFAULT_TOKEN_SESSIONS_OPTIONS[name];
  if (typeof chosen !== 'number' || !Number.isSafeInteger(chosen) || chosen <= 0) {
    throw new ConfigurationError(`createTokenSessions: ${name} must be a positive whole number of seconds (default ${DEFAULT_TOKEN_SESSIONS_OPTIONS[name]})`);
  }
  return chosen;
}

function claimText(name: 'issuer' | 'audience', value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 255) {
    throw new ConfigurationError(`createTokenSessions: ${name} is required: a non-empty string of at most 255 characters`);
  }
  return value;
}

/**
 * Checks the options at start-up and fills in the defaults.
 * @throws ConfigurationError naming the option and the fix.
 */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (input === null || typeof input !== 'object') throw new ConfigurationError('createTokenSessions needs an options object with issuer, audience and signingKeys');
  checkOptionKeys('createTokenSessions', input, OPTION_KEYS);
  const options = input as TokenSessionsOptions;
  const accessTokenSeconds = seconds('accessTokenSeconds', options.accessTokenSeconds);
  const refreshTokenSeconds = seconds('refreshTokenSeconds', options.refreshTokenSeconds);
  const idleSeconds = seconds('idleSeconds', options.idleSeconds);
  const graceSeconds = seconds('retiredKeyGraceSeconds', options.retiredKeyGraceSeconds);
  if (graceSeconds < accessTokenSeconds) {
    throw new ConfigurationError('createTokenSessions: retiredKeyGraceSeconds must be at least accessTokenSeconds, or tokens signed just before a rotation fail early');
  }
  return {
    issuer: claimText('issuer', options.issuer),
    audience: claimText('audience', options.audience),
    keys: new KeyRing(options.signingKeys, options.retiredKeys ?? [], graceSeconds),
    accessTokenSeconds,
    refreshTokenSeconds,
    idleSeconds,
    reuseGraceSeconds: reuseGrace(options.reuseGraceSeconds, accessTokenSeconds),
    revokeOn: revocationEvents(options.revokeOn),
  };
}
