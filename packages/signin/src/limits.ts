import cluster from 'node:cluster';
import { checkOptionKeys, type Logger } from '@otpkit/core';
import { RateLimiterMemory, type RateLimiterLike } from 'rate-limiter-flexible';

/**
 * The sign-in's limits, as rate-limiter-flexible limiters. Each counts by a key of its own: an
 * address limit by a keyed digest of the normalized address (the same for known and unknown
 * addresses, so a limit reveals nothing), a client limit by `meta.ip` (skipped when the caller
 * gives no `ip`). Core's daily send limits (`createOtp({ sendLimits })`, per user and per
 * destination) apply as well to the codes sent to known addresses.
 */
export interface SignInLimits {
  /** Codes and links asked for one address. @default 3 per 15 minutes */
  readonly addressSends: RateLimiterLike;
  /** Codes and links asked for one address in a day. @default 10 per 24 hours */
  readonly addressDailySends: RateLimiterLike;
  /** Codes and links asked from one client address (`meta.ip`). @default 10 per 15 minutes */
  readonly ipSends: RateLimiterLike;
  /** Codes and links asked from one client address in a day. @default 50 per 24 hours */
  readonly ipDailySends: RateLimiterLike;
  /** Wrong codes for one address; past it, `finish` answers `throttled`. @default 5 per 15 minutes */
  readonly addressFailures: RateLimiterLike;
  /** Wrong codes from one client address; past it, `finish` answers `rate_limited`. @default 20 per 15 minutes */
  readonly ipFailures: RateLimiterLike;
}

const MINUTES_15 = 15 * 60;
const DAY = 24 * 60 * 60;

/** Points and window (seconds) of each default limiter. */
export const DEFAULT_LIMITS: Readonly<Record<keyof SignInLimits, { readonly points: number; readonly duration: number }>> = Object.freeze({
  addressSends: { points: 3, duration: MINUTES_15 },
  addressDailySends: { points: 10, duration: DAY },
  ipSends: { points: 10, duration: MINUTES_15 },
  ipDailySends: { points: 50, duration: DAY },
  addressFailures: { points: 5, duration: MINUTES_15 },
  ipFailures: { points: 20, duration: MINUTES_15 },
});

const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof SignInLimits)[];

/** A fresh set of the default limiters, in this process's memory. */
export function defaultLimits(): SignInLimits {
  return Object.fromEntries(LIMIT_NAMES.map((name) => [name, new RateLimiterMemory({ keyPrefix: `otpkit-signin-${name}`, ...DEFAULT_LIMITS[name] })])) as unknown as SignInLimits;
}

function isLimiter(value: unknown): value is RateLimiterLike {
  return value !== null && typeof value === 'object' && typeof (value as RateLimiterLike).consume === 'function' && typeof (value as RateLimiterLike).get === 'function';
}

/**
 * The given limiters, and the defaults for the missing ones.
 * @param fail throws the `ConfigurationError` for a message.
 */
export function resolveLimits(input: unknown, fail: (message: string) => never): Readonly<SignInLimits> {
  if (input === null || typeof input !== 'object') fail('limits must be an object of rate-limiter-flexible limiters');
  const given = input as Partial<Record<string, unknown>>;
  checkOptionKeys('createSignIn: limits', given, LIMIT_NAMES);
  const defaults = defaultLimits();
  const limits = Object.fromEntries(
    LIMIT_NAMES.map((name) => {
      const limiter = given[name] ?? defaults[name];
      if (!isLimiter(limiter)) fail(`limits.${name} must be a rate-limiter-flexible limiter (new RateLimiterRedis({ … }), say)`);
      return [name, limiter];
    }),
  );
  return Object.freeze(limits) as unknown as SignInLimits;
}

/**
 * Warns, once at start-up, when limits left to their in-memory defaults run where they would not
 * hold: under `NODE_ENV=production` or in a `node:cluster` worker, each process (and each server)
 * would count alone, multiplying every limit by their number. A warning, not an error: a single
 * process in production is a fair deployment, and the fix is one option away.
 */
export function warnOfProcessLimits(given: Partial<Record<string, unknown>>, logger: Logger): void {
  if (process.env.NODE_ENV !== 'production' && !cluster.isWorker) return;
  const inMemory = LIMIT_NAMES.filter((name) => given[name] === undefined);
  if (inMemory.length === 0) return;
  logger.warn(
    `signin: the limits ${inMemory.join(', ')} are counted in this process's memory, so each process or server counts alone: ` +
      'give createSignIn({ limits }) RateLimiterRedis or RateLimiterPostgres instances (see docs/scaling.md)',
  );
}
