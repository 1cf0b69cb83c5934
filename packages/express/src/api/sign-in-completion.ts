import type { Request, Response } from 'express';
import type { Device, TokenPair, TokenSessionsLike } from '@otpkit/core';
import { requestInfo } from '../internal/request-info.js';
import { logInSession } from '../internal/session-sign-in.js';
import type { TokenCarrier } from '../internal/token-carrier.js';
import type { LogIn } from '../passkey-sign-in-flow.js';

/** A passwordless sign-in that `SignInLike` accepted: the user, the device that proved it, and how (`sms`, `email`, `link`). */
export interface AcceptedSignIn {
  readonly userId: string;
  readonly device: Device;
  readonly method: string;
}

/** Token sessions as the API serves them: the sessions and how their pairs travel. */
export interface ServedTokens {
  readonly sessions: TokenSessionsLike;
  readonly carrier: TokenCarrier;
}

/**
 * Where an accepted passwordless sign-in leads: a new token session (one factor: `amr` the method,
 * `aal` 1, the device recorded), answered as the API's transport says, or, without token
 * sessions, the browser's session logged in by `logIn` (a new session id; not verified: a code
 * or a link is one factor).
 */
export class SignInCompletion {
  readonly #tokens: ServedTokens | null;
  readonly #logIn: LogIn;

  constructor(tokens: ServedTokens | null, logIn: LogIn) {
    this.#tokens = tokens;
    this.#logIn = logIn;
  }

  /** Signs in and answers with JSON: the token pair with `about`, or `{ signedIn, ...about, verified }` for a session. */
  async answer(req: Request, res: Response, signedIn: AcceptedSignIn, about: Readonly<Record<string, unknown>>): Promise<void> {
    if (this.#tokens === null) {
      await logInSession(req, res, this.#logIn, signedIn.userId, signedIn.device.persistentId);
      return void res.json({ signedIn: true, ...about, verified: req.otp.isVerified() });
    }
    this.#tokens.carrier.send(req, res, await issue(this.#tokens, req, signedIn), 'fresh', about);
  }

  /** Signs a browser in (the cookies of a new token session, or its session); the caller redirects. */
  async enter(req: Request, res: Response, signedIn: AcceptedSignIn): Promise<void> {
    if (this.#tokens === null) return logInSession(req, res, this.#logIn, signedIn.userId, signedIn.device.persistentId);
    this.#tokens.carrier.setCookies(req, res, await issue(this.#tokens, req, signedIn), 'fresh');
  }
}

/** A new one-factor token session for the sign-in. */
function issue(tokens: ServedTokens, req: Request, { userId, device, method }: AcceptedSignIn): Promise<TokenPair> {
  return tokens.sessions.issue(userId, { amr: [method], aal: 1, deviceId: device.persistentId, ...requestInfo(req) });
}
