import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { constantTimeEqual } from '@otpkit/core';
import { readCookie } from './cookies.js';

const VALUE = /^[A-Za-z0-9_-]{43}$/;

/** 32 random bytes, base64url: a new value for a {@link RandomValueCookie}. */
export function newRandomValue(): string {
  return randomBytes(32).toString('base64url');
}

/** How a {@link RandomValueCookie} is set. */
export interface RandomValueCookieOptions {
  /** The cookie's name, which gets the `__Host-` prefix when the cookie is `Secure`. */
  readonly name: string;
  /** Whether the page's scripts may not read it (a form repeats an `HttpOnly` value; a script reads one that is not). */
  readonly httpOnly: boolean;
  /** `strict` for a CSRF value (never on a cross-site request); `lax` for a value that must come along when a link in another site is followed. */
  readonly sameSite: 'strict' | 'lax';
  /** Whether the cookie is `Secure` for this request. */
  secure(req: Request): boolean;
}

/**
 * A session-free random value of one browser: 32 random bytes in a cookie on `/`, for a CSRF value
 * that a request repeats (a form field, a header: a cross-site request never carries a
 * `SameSite=Strict` cookie, and a page on another origin can read neither the cookie nor the
 * repeated value) or a browser binding. Over HTTPS the `__Host-` prefix pins the cookie to this
 * host, so a sibling subdomain cannot plant one.
 */
export class RandomValueCookie {
  readonly #options: RandomValueCookieOptions;

  constructor(options: RandomValueCookieOptions) {
    this.#options = options;
  }

  /** The browser's value, or `undefined` when it has none (or one otpkit never set). */
  current(req: Request): string | undefined {
    const value = readCookie(req, this.#name(req));
    return value !== undefined && VALUE.test(value) ? value : undefined;
  }

  /** Sets `value` (a fresh one when not given) and returns it; `maxAge` in ms, else a browser-session cookie. */
  set(req: Request, res: Response, options: { value?: string; maxAge?: number } = {}): string {
    const value = options.value ?? newRandomValue();
    res.cookie(this.#name(req), value, { ...this.#attributes(req), ...(options.maxAge === undefined ? {} : { maxAge: options.maxAge }), encode: String });
    return value;
  }

  /** Whether `sent` equals the browser's value, compared in constant time. */
  matches(req: Request, sent: unknown): boolean {
    const value = this.current(req);
    return value !== undefined && typeof sent === 'string' && constantTimeEqual(sent, value);
  }

  /** Deletes the browser's cookie. */
  clear(req: Request, res: Response): void {
    res.clearCookie(this.#name(req), this.#attributes(req));
  }

  #name(req: Request): string {
    return this.#options.secure(req) ? `__Host-${this.#options.name}` : this.#options.name;
  }

  #attributes(req: Request) {
    return { httpOnly: this.#options.httpOnly, sameSite: this.#options.sameSite, secure: this.#options.secure(req), path: '/' } as const;
  }
}
