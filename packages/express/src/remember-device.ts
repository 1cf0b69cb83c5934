import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError, parsePersistentId, type Device, type Otp } from '@otpkit/core';

/** Options of "remember this browser". Off unless given to `otpMiddleware`. */
export interface RememberDeviceOptions {
  /** The HMAC key that signs the cookie: at least 32 characters, kept secret, not the session secret. */
  readonly secret: string;
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
  readonly secret: string;
  readonly rememberFor: number;
  readonly cookieName: string;
  readonly secure: boolean | 'auto';
  readonly sameSite: 'lax' | 'strict';
  readonly path: string;
}

/** A valid remember cookie: the device it names and when it was issued. */
export interface Remembered {
  readonly device: Device;
  readonly issuedAt: number;
}

const COOKIE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_COOKIE_LENGTH = 1024;
const EPOCH_MS = /^(0|[1-9][0-9]{0,15})$/;

/** Validates and freezes the options. @throws ConfigurationError */
export function resolveRememberDevice(input: RememberDeviceOptions): ResolvedRememberDevice {
  const options = {
    rememberFor: 30 * 24 * 3600,
    cookieName: 'otpkit_remember',
    secure: 'auto' as const,
    sameSite: 'lax' as const,
    path: '/',
    ...input,
  };
  if (typeof options.secret !== 'string' || options.secret.length < 32) {
    throw new ConfigurationError('rememberDevice.secret must be a string of at least 32 characters');
  }
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

const encode = (value: string) => Buffer.from(value, 'utf8').toString('base64url');
const decode = (value: string) => Buffer.from(value, 'base64url').toString('utf8');

/**
 * Signs and checks remember cookies. The cookie binds the user id, the verifying device's
 * persistent id and that device's creation time (so a device re-created under a reused id does not
 * match), and carries its issue and expiry times; an HMAC-SHA256 over all of it is checked in
 * constant time. A cookie only counts while its device still exists, is confirmed and is the
 * user's: removing the device or resetting the user's devices ends it, at the cost of one read.
 */
export class RememberCookie {
  readonly options: ResolvedRememberDevice;

  constructor(options: ResolvedRememberDevice) {
    this.options = options;
  }

  /** The cookie value remembering `device` for its user from `now`. */
  issue(device: Device, now: number): string {
    const payload = [encode(device.userId), encode(device.persistentId), device.createdAt, now, now + this.options.rememberFor * 1000].join('.');
    return `${payload}.${this.#mac(payload)}`;
  }

  /** The device a cookie value remembers for `userId` at `now`, or `null` (bad, foreign, expired, revoked). */
  async check(otp: Otp, value: unknown, userId: string, now: number): Promise<Remembered | null> {
    if (typeof value !== 'string' || value.length > MAX_COOKIE_LENGTH) return null;
    const parts = value.split('.');
    if (parts.length !== 6) return null;
    const [user, persistentId, createdAt, issuedAt, expiresAt, mac] = parts as [string, string, string, string, string, string];
    const expected = Buffer.from(this.#mac(parts.slice(0, 5).join('.')), 'utf8');
    const given = Buffer.from(mac, 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    if (![createdAt, issuedAt, expiresAt].every((field) => EPOCH_MS.test(field))) return null;
    if (decode(user) !== userId || now >= Number(expiresAt) || now < Number(issuedAt)) return null;
    const id = decode(persistentId);
    if (parsePersistentId(id) === null) return null;
    const device = await otp.deviceFromPersistentId(id);
    if (device === null || !device.confirmed || device.userId !== userId || device.createdAt !== Number(createdAt)) return null;
    return { device, issuedAt: Number(issuedAt) };
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.options.secret).update(`otpkit.remember.v1.${payload}`).digest('base64url');
  }
}
