import type { Request, Response } from 'express';
import { ConfigurationError, ValidationError, type Device, type Translate, type Translator } from '@otpkit/core';
import { contextOf } from './internal/context.js';
import { readCookie } from './internal/cookies.js';
import { eventMeta } from './internal/event-meta.js';
import { policyFacts } from './policy/policy-facts.js';
import type { TwoFactorPolicyState } from './policy/two-factor-policy.js';
import { regenerateSession, sessionOf } from './internal/session.js';

/**
 * How a verification was obtained: a token typed (or a security key used) in this session, a
 * passkey sign-in that proved both factors at once (user verification performed), a remembered
 * browser, or a rescue code mailed to a confirmed address. Only `token` and `passkey` count as a
 * recent verification.
 */
export type VerificationMethod = 'token' | 'passkey' | 'remembered' | 'rescue';

/**
 * `req.otp`: the second-factor state of one request, set by `otpMiddleware`.
 * *Authenticated* means the application knows the user; *verified* means the user also proved a
 * second factor in this session with {@link OtpRequestState.device}.
 */
export class OtpRequestState {
  /** The authenticated user's id (stored form), or `null` for an anonymous request. */
  readonly userId: string | null;
  #device: Device | null;
  #verifiedAt: number | null;
  #method: VerificationMethod | null;
  #userVerified: boolean;
  readonly #req: Request;
  readonly #res: Response;
  #translator: Translator | undefined;

  /** Built by `otpMiddleware`. */
  constructor(
    req: Request,
    res: Response,
    userId: string | null,
    device: Device | null,
    verifiedAt: number | null,
    method: VerificationMethod | null = device === null ? null : 'token',
    userVerified = false,
  ) {
    this.#req = req;
    this.#res = res;
    this.userId = userId;
    this.#device = device;
    this.#verifiedAt = verifiedAt;
    this.#method = device === null ? null : method;
    this.#userVerified = device !== null && userVerified;
  }

  /** The locale of this request's pages and messages (otpMiddleware's `locale`, else `Accept-Language`). */
  get locale(): string {
    return this.#messages().locale;
  }

  /** A message of the catalog (`otp.messages`) in this request's locale, its `{name}` placeholders filled from `params`. */
  readonly t: Translate = (key, params) => this.#messages().t(key, params);

  #messages(): Translator {
    if (this.#translator === undefined) {
      const { otp, locale } = contextOf(this.#req);
      this.#translator = otp.messages.translator(locale(this.#req));
    }
    return this.#translator;
  }

  /** The device the session was verified with, or `null`. */
  get device(): Device | null {
    return this.#device;
  }

  /** When the session was verified (epoch ms), or `null`. A remembered browser reports when it was remembered. */
  get verifiedAt(): number | null {
    return this.#verifiedAt;
  }

  /** How the session was verified (a token typed in it, a passkey sign-in, a remembered browser, a rescue), or `null`. */
  get method(): VerificationMethod | null {
    return this.#method;
  }

  /**
   * Whether the verification included the authenticator's user verification (a PIN or biometrics:
   * WebAuthn's `uv`), which a passkey sign-in always does; `false` when not verified.
   */
  get userVerified(): boolean {
    return this.#userVerified;
  }

  /**
   * Whether the user typed a token in this session less than `seconds` ago. A remembered browser
   * and a rescue never count. Changing the account's factors needs this (step-up).
   * @param seconds @default otpMiddleware's `recentVerification` (300)
   */
  isRecentlyVerified(seconds: number = contextOf(this.#req).recentVerification): boolean {
    if ((this.#method !== 'token' && this.#method !== 'passkey') || this.#verifiedAt === null) return false;
    return contextOf(this.#req).otp.clock() - this.#verifiedAt <= seconds * 1000;
  }

  /**
   * The two-factor policy (otpMiddleware's `policy`) as it applies to this user now: whether they
   * must have two-factor, whether a confirmed device of theirs satisfies it, when their grace
   * period ends and whether it is over (`mustEnrol`). Computed on the first call (one call of
   * `policy.require`, one device lookup, and for a required user `otp.userSettings`, which records
   * the first time the policy applied), then
   * cached for the request. Without a policy, or for an anonymous request, nothing is required.
   */
  async policy(): Promise<TwoFactorPolicyState> {
    const { required, satisfied, graceEndsAt, mustEnrol } = await policyFacts(this.#req, this);
    return { required, satisfied, graceEndsAt, mustEnrol };
  }

  /** Whether the application knows the user. */
  isAuthenticated(): boolean {
    return this.userId !== null;
  }

  /** Whether the user proved a second factor in this session (with a confirmed device of theirs). */
  isVerified(): boolean {
    return this.#device !== null;
  }

  /**
   * Marks the session verified with `device` (after a token check, which core reported as
   * `verified`): stores its persistent id and regenerates the session id. `userVerified`: the
   * authenticator verified the user (a passkey sign-in).
   * @throws ValidationError when the device is not a confirmed device of the authenticated user, or
   *   is the device a passwordless sign-in by code or link used (one factor cannot count twice).
   */
  async login(device: Device, method: VerificationMethod = 'token', userVerified = false): Promise<void> {
    if (this.userId === null || device.userId !== this.userId || !device.confirmed) {
      throw new ValidationError('Only a confirmed device of the authenticated user can verify the session', { field: 'device' });
    }
    if (sessionOf(this.#req).otpkitSignedInWith === device.persistentId) {
      throw new ValidationError('The device this session signed in with cannot also be its second factor: use another device', { field: 'device' });
    }
    const at = contextOf(this.#req).otp.clock();
    await regenerateSession(this.#req);
    this.#req.session.otpkit = { device: device.persistentId, verifiedAt: at, method, ...(userVerified ? { uv: true } : {}) };
    this.#device = device;
    this.#verifiedAt = at;
    this.#method = method;
    this.#userVerified = userVerified;
  }

  /** Forgets the verification (the user stays authenticated). */
  logout(): void {
    delete sessionOf(this.#req).otpkit;
    this.#device = null;
    this.#verifiedAt = null;
    this.#method = null;
    this.#userVerified = false;
  }

  /** Whether "remember this browser" is configured on otpMiddleware. */
  canRemember(): boolean {
    return contextOf(this.#req).remember !== null;
  }

  /**
   * Lets this browser skip the second factor for `rememberFor`, bound to the verifying device: a
   * row in `otp.browsers` and a cookie carrying only its random token. The session then counts as
   * verified through that browser, so revoking it ends this session's verification too.
   * @throws ConfigurationError when `rememberDevice` is not configured; ValidationError when not verified.
   */
  async remember(): Promise<void> {
    const { remember, otp } = contextOf(this.#req);
    if (remember === null) throw new ConfigurationError('rememberDevice is not configured on otpMiddleware');
    if (this.#device === null || this.userId === null) throw new ValidationError('Only a verified session can remember this browser');
    const { token, browser } = await otp.browsers.remember(
      this.userId,
      this.#device.persistentId,
      { ttlSeconds: remember.rememberFor, userAgent: this.#req.get('user-agent') ?? null },
      eventMeta(this.#req),
    );
    const stored = sessionOf(this.#req).otpkit;
    if (stored !== undefined) stored.browser = browser.id;
    this.#res.cookie(remember.cookieName, token, {
      httpOnly: true,
      sameSite: remember.sameSite,
      secure: remember.secure === 'auto' ? this.#req.secure : remember.secure,
      path: remember.path,
      maxAge: remember.rememberFor * 1000,
      encode: String,
    });
  }

  /** Makes this browser forget it was remembered: revokes its row on the server and clears the cookie. */
  async forget(): Promise<void> {
    const { remember, otp } = contextOf(this.#req);
    if (remember === null) return;
    const token = readCookie(this.#req, remember.cookieName);
    if (this.userId !== null && token !== undefined) await otp.browsers.forgetToken(this.userId, token, eventMeta(this.#req));
    this.#res.clearCookie(remember.cookieName, { path: remember.path });
  }
}
