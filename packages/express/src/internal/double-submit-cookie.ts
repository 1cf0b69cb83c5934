import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { constantTimeEqual } from '@otpkit/core';
import { readCookie } from './cookies.js';

const VALUE = /^[A-Za-z0-9_-]{43}$/;

/** How a {@link DoubleSubmitCookie} is set. */
export interface DoubleSubmitCookieOptions {
  /** The cookie's name, which gets the `__Host-` prefix when the cookie is `Secure`. */
  readonly name: string;
  /** Whether the page's scripts may not read it (a form repeats an `HttpOnly` value; a script reads one that is not). */
  readonly httpOnly: boolean;
  /** Whether the cookie is `Secure` for this request. */
  secure(req: Request): boolean;
}

/**
 * A session-free CSRF value: 32 random bytes in a `SameSite=Strict` cookie on `/` that a request
 * repeats (a form field, a header). A cross-site request never carries a `SameSite=Strict` cookie,
 * and a page on another origin can read neither the cookie nor the repeated value. Over HTTPS the
 * `__Host-` prefix pins the cookie to this host, so a sibling subdomain cannot plant one.
 */
export class DoubleSubmitCookie {
  readonly #options: DoubleSubmitCookieOptions;

  constructor(options: DoubleSubmitCookieOptions) {
    this.#options = options;
  }

  /** The browser's value, or `undefined` when it has none (or one otpkit never set). */
  current(req: Request): string | undefined {
    const value = readCookie(req, this.#name(req));
    return value !== undefined && VALUE.test(value) ? value : undefined;
  }

  /** Sets `value` (a fresh one when not given) and returns it; `maxAge` in ms, else a browser-session cookie. */
  set(req: Request, res: Response, options: { value?: string; maxAge?: number } = {}): string {
    const value = options.value ?? randomBytes(32).toString('base64url');
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
    return { httpOnly: this.#options.httpOnly, sameSite: 'strict', secure: this.#options.secure(req), path: '/' } as const;
  }
}
