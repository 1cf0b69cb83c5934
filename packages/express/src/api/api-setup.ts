import type { AnyDevicePlugin, Otp } from '@otpkit/core';
import type { LogIn, PasskeySignInFlow } from '../passkey-sign-in-flow.js';
import type { SignInLike, TokenSessionsLike } from '@otpkit/core';
import type { RescueOptions, ResolvedRescue } from './rescue-options.js';
import type { ResolvedTokenTransport, TokenTransportOptions } from '../token-transport.js';

/** Options of `twoFactorApi`. */
export interface TwoFactorApiOptions extends TokenTransportOptions {
  /** The largest JSON body accepted (bytes, or a size such as `'16kb'`). @default '16kb' */
  readonly bodyLimit?: number | string;
  /**
   * Account recovery for a user who lost their devices: `false` (off: `/rescue` answers 404
   * `rescue_unavailable`), `{ mode: 'email' }` (a code mailed to an address the user already
   * confirmed as an email device; lowers the account to the strength of that mailbox; needs the
   * email plugin, else a `ConfigurationError` at start-up) or
   * `{ mode: 'help', notifyAdmins }` (tells the site's administrators; verifies nothing).
   * @default false
   */
  readonly rescue?: RescueOptions;
  /**
   * Passwordless sign-in with a passkey (`new PasskeySignIn(otp)` from `@otpkit/webauthn`):
   * `POST /passkey/options` and `POST /passkey/verify`. Off (404) unless given.
   * @default undefined
   */
  readonly passkeySignIn?: PasskeySignInFlow;
  /** Records the user a passkey signed in; must agree with otpMiddleware's `getUserId`. @default (req, id) => { req.session.userId = id } */
  readonly logIn?: LogIn;
  /**
   * Token sessions for mobile apps and single-page applications (`createTokenSessions(otp, options)`
   * from `@otpkit/tokens`, on this otp instance): `POST /tokens/refresh`, `POST /tokens/logout`,
   * `POST /tokens/logout-others`, `GET /tokens/sessions` and `DELETE /tokens/sessions/{id}`,
   * authenticated by the bearer access token; in the cookie modes (`tokenTransport`) the refresh
   * and the sign-out also take the refresh cookie with the CSRF token. Off (404) unless given.
   * @default undefined
   */
  readonly tokenSessions?: TokenSessionsLike;
  /**
   * Passwordless sign-in (`createSignIn(otp, options)` from `@otpkit/signin`, on this otp
   * instance): `POST /signin/start` and `POST /signin/finish` (a code by SMS or email), and with
   * magic links `POST /signin/link` and the link's page `GET /signin/link/{token}`. A sign-in starts
   * a token session when `tokenSessions` is given (one factor: `aal` 1), else logs the browser's
   * session in with `logIn`. Off (404) unless given.
   * @default undefined
   */
  readonly signIn?: SignInLike;
}

/** The resolved options. */
export interface ResolvedTwoFactorApiOptions {
  readonly bodyLimit: number | string;
  readonly rescue: ResolvedRescue;
  readonly passkeySignIn: PasskeySignInFlow | null;
  readonly logIn: LogIn;
  readonly tokenSessions: TokenSessionsLike | null;
  readonly tokenTransport: ResolvedTokenTransport;
  readonly signIn: SignInLike | null;
}

/** What every group of API routes gets. */
export interface ApiSetup {
  readonly otp: Otp;
  readonly options: ResolvedTwoFactorApiOptions;
  /** The plugin configured on `otp` for a device type, or `undefined`. */
  plugin(type: string): AnyDevicePlugin | undefined;
}
