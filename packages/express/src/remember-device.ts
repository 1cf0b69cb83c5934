import { checkOptionKeys, ConfigurationError } from '@otpkit/core';

/**
 * Options of "remember this browser". Off unless given to `otpMiddleware`. Remembered browsers are
 * rows on the server (`otp.browsers`); the cookie carries only a random token, so no signing
 * secret is needed.
 */
export interface RememberDeviceOptions {
  /** Seconds a remembered browser skips the second factor. @default 2592000 (30 days) */
  readonly rememberFor?: number;
  /** The cookie's name. @default 'otpkit_remember' */
  readonly cookieName?: string;
  /** The cookie's `Secure` flag; `'auto'` sets it on HTTPS requests (`req.secure`). @default 'auto' */
  readonly secure?: boolean | 'auto';
  /** The cookie's `SameSite`. @default 'lax' */
  readonly sameSite?: 'lax' | 'strict';
  /** The cookie's path. @default '/' */
  readonly path?: string;
}

/** The resolved options. */
export interface ResolvedRememberDevice {
  readonly rememberFor: number;
  readonly cookieName: string;
  readonly secure: boolean | 'auto';
  readonly sameSite: 'lax' | 'strict';
  readonly path: string;
}

/** Every key of {@link RememberDeviceOptions}. */
const OPTION_KEYS: readonly (keyof RememberDeviceOptions)[] = ['rememberFor', 'cookieName', 'secure', 'sameSite', 'path'];
const COOKIE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Validates and freezes the options. @throws ConfigurationError */
export function resolveRememberDevice(input: RememberDeviceOptions): ResolvedRememberDevice {
  if (input === null || typeof input !== 'object') throw new ConfigurationError('rememberDevice must be an options object ({} for the defaults)');
  if ('secret' in input) {
    throw new ConfigurationError('rememberDevice.secret is no longer used: remove it (remembered browsers are server-side rows behind a random token)');
  }
  checkOptionKeys('otpMiddleware: rememberDevice', input, OPTION_KEYS);
  const options = {
    rememberFor: 30 * 24 * 3600,
    cookieName: 'otpkit_remember',
    secure: 'auto' as const,
    sameSite: 'lax' as const,
    path: '/',
    ...input,
  };
  if (!Number.isInteger(options.rememberFor) || options.rememberFor <= 0) {
    throw new ConfigurationError('rememberDevice.rememberFor must be a positive whole number of seconds');
  }
  if (!COOKIE_NAME.test(options.cookieName)) throw new ConfigurationError('rememberDevice.cookieName must be a plain cookie name');
  if (options.secure !== 'auto' && typeof options.secure !== 'boolean') {
    throw new ConfigurationError("rememberDevice.secure must be true, false or 'auto'");
  }
  if (options.sameSite !== 'lax' && options.sameSite !== 'strict') throw new ConfigurationError("rememberDevice.sameSite must be 'lax' or 'strict'");
  if (typeof options.path !== 'string' || !options.path.startsWith('/')) throw new ConfigurationError('rememberDevice.path must start with /');
  return Object.freeze(options);
}
