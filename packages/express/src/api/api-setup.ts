import type { AnyDevicePlugin, Otp } from '@otpkit/core';
import type { LogIn, PasskeySignInFlow } from '../passkey-sign-in-flow.js';
import type { TokenSessionsLike } from '@otpkit/core';
import type { RescueOptions, ResolvedRescue } from './rescue-options.js';
import type { ResolvedTokenTransport, TokenTransportOptions } from '../token-transport.js';

/** Options of `twoFactorApi`. */
export interface TwoFactorApiOptions extends TokenTransportOptions {
  /** The largest JSON body accepted (bytes, or a size such as `'16kb'`). @default '16kb' */
  readonly bodyLimit?: number | string;
  /**
   * Account recovery for a user who lost their devices: `false` (off: `/rescue` answers 404
   * `not_found`), `{ mode: 'email' }` (a code mailed to an address the user already confirmed as
   * an email device; lowers the account to the strength of that mailbox) or
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
}

/** The resolved options. */
export interface ResolvedTwoFactorApiOptions {
  readonly bodyLimit: number | string;
  readonly rescue: ResolvedRescue;
  readonly passkeySignIn: PasskeySignInFlow | null;
  readonly logIn: LogIn;
  readonly tokenSessions: TokenSessionsLike | null;
  readonly tokenTransport: ResolvedTokenTransport;
}

/** What every group of API routes gets. */
export interface ApiSetup {
  readonly otp: Otp;
  readonly options: ResolvedTwoFactorApiOptions;
  /** The plugin configured on `otp` for a device type, or `undefined`. */
  plugin(type: string): AnyDevicePlugin | undefined;
}
