/**
 * The contract between passwordless sign-in (`@otpkit/signin`) and the layers that serve it
 * (`@otpkit/express`): the addresses a sign-in starts from, its outcomes, and the methods a layer
 * calls. Core declares it so that neither package depends on the other.
 * @module
 */
import type { Clock } from './clock.js';
import type { Device } from './device.js';
import type { EventMeta } from './events.js';
import type { UserId } from './user-id.js';

/** How a code is sent: by SMS to a phone, or by mail to an email address. */
export type SignInMethod = 'sms' | 'email';

/**
 * Where a sign-in starts: a phone number (any usual separators; it is normalized to E.164) or an
 * email address (normalized as the email plugin stores it).
 */
export type SignInAddress = { readonly phone: string } | { readonly email: string };

/** What a sign-in code is finished with: the address it was asked for and the code received. */
export type SignInCode = SignInAddress & { readonly code: string };

/**
 * The answer to a start (a code or a link asked for): the same whether or not the address belongs
 * to anyone, so it tells nothing about which accounts exist. `validUntil` (epoch ms) is the
 * start's time plus the code's or link's lifetime. A send limit answers `rate_limited`, for known
 * and unknown addresses alike.
 */
export type SignInStartOutcome =
  | { readonly ok: true; readonly validUntil: number }
  | SignInRateLimited;

/** A send or attempt limit of the sign-in refused: try again at `retryAt` (epoch ms). */
export interface SignInRateLimited {
  readonly ok: false;
  readonly reason: 'rate_limited';
  readonly retryAt: number;
}

/**
 * Why a code was refused:
 * - `invalid_token`: a wrong, expired, spent or malformed code, or an address no one signs in
 *   with: one answer for all, so it tells nothing about which accounts exist;
 * - `throttled`: too many wrong codes for this address (known or not), until `retryAt`;
 * - `rate_limited`: too many attempts from this client, until `retryAt`.
 */
export type SignInRefusal =
  | { readonly ok: false; readonly reason: 'invalid_token' }
  | { readonly ok: false; readonly reason: 'throttled'; readonly retryAt: number }
  | SignInRateLimited;

/** A finished sign-in by code. */
export interface SignedIn {
  readonly ok: true;
  /** The user, as stored. */
  readonly userId: string;
  /** The login device the code was verified with (a new one when `registered`). */
  readonly device: Device;
  readonly method: SignInMethod;
  /** Whether this sign-in created the account (registration on first sign-in). */
  readonly registered: boolean;
}

/** The result of finishing a sign-in by code. */
export type SignInFinishOutcome = SignedIn | SignInRefusal;

/**
 * Who a magic link is for: an email address (a passwordless sign-in), or a signed-in user's own
 * email device serving as their second factor (`deviceId`: its persistent id, `email/3`).
 */
export type LinkRecipient = { readonly email: string } | { readonly userId: UserId; readonly deviceId: string };

/** What a layer passes when a code or a link is asked for: the event metadata and the asker's language. */
export interface SignInStartMeta extends EventMeta {
  /** The locale of the message sent (a tag of `otp.messages`; the request's). @default otp.messages.defaultLocale */
  readonly locale?: string;
}

/** What a layer passes when a link is asked for: the event metadata, the asker's language and the asking browser. */
export interface LinkStartMeta extends SignInStartMeta {
  /**
   * An opaque value of the asking browser (a random value in a cookie of its own, never a session
   * id), stored only as a digest: the link then signs in there without asking.
   */
  readonly browser?: string;
}

/** What a layer passes when a link is opened. */
export interface LinkFinishOptions extends EventMeta {
  /** The opening browser's value (see {@link LinkStartMeta.browser}). */
  readonly browser?: string;
  /**
   * The user confirmed signing in on this browser although another one asked for the link
   * (a forwarded link, or a link opened on another device). @default false
   */
  readonly confirm?: boolean;
}

/** A magic link that signed in (`purpose: 'login'`) or verified a signed-in user (`purpose: 'second-factor'`). */
export interface LinkSignedIn {
  readonly ok: true;
  /** The user, as stored. */
  readonly userId: string;
  /** The email device the link was sent to. */
  readonly device: Device;
  readonly method: 'link';
  /** `login`: a passwordless sign-in; `second-factor`: the user was already signed in and proved their inbox. */
  readonly purpose: 'login' | 'second-factor';
}

/**
 * Why a link was refused:
 * - `invalid_link`: unknown, spent or expired (one answer for the three);
 * - `confirm_browser`: another browser asked for it; it was not spent: ask the user, and open it
 *   again with `confirm: true` to sign in on this browser.
 */
export type LinkRefusal = { readonly ok: false; readonly reason: 'invalid_link' | 'confirm_browser' };

/** The result of opening a magic link. */
export type LinkFinishOutcome = LinkSignedIn | LinkRefusal;

/**
 * Passwordless sign-in, as `@otpkit/signin`'s `SignIn` (`createSignIn(otp, options)`) provides it:
 * `@otpkit/express` takes any object of this shape. Every method validates its own input: an
 * address that is not a string or not an address throws a `ValidationError` (field `phone` or
 * `email`); a code or link token of any other shape is refused as data.
 */
export interface SignInLike {
  /** The clock of the otp instance the sign-in runs on (epoch ms). */
  readonly clock: Clock;
  /** The methods served (`sms` for `{ phone }`, `email` for `{ email }`). */
  readonly methods: readonly SignInMethod[];
  /** Whether magic links are served (an email plugin and the `linkUrl` option). */
  readonly links: boolean;
  /** Sends a sign-in code to the address, if someone signs in with it. */
  start(address: unknown, meta?: SignInStartMeta): Promise<SignInStartOutcome>;
  /** Verifies a sign-in code. */
  finish(input: unknown, meta?: EventMeta): Promise<SignInFinishOutcome>;
  /** Mails a magic link to the address (if someone signs in with it) or to the user's second-factor email device. */
  startLink(recipient: unknown, meta?: LinkStartMeta): Promise<SignInStartOutcome>;
  /** Opens a magic link. */
  finishLink(token: unknown, options?: LinkFinishOptions): Promise<LinkFinishOutcome>;
}

const METHODS = ['start', 'finish', 'startLink', 'finishLink', 'clock'] as const;

/** Whether `value` has the clock, the method list and every method of {@link SignInLike}. */
export function isSignIn(value: unknown): value is SignInLike {
  return (
    value !== null &&
    typeof value === 'object' &&
    Array.isArray((value as { methods?: unknown }).methods) &&
    METHODS.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
  );
}
