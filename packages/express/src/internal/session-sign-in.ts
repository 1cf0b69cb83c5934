import type { Request, Response } from 'express';
import type { LogIn } from '../passkey-sign-in-flow.js';
import { contextOf } from './context.js';
import { loadOtpState } from './load-state.js';
import { regenerateSession } from './session.js';

/**
 * Signs `userId` in on the browser's session: a new session id (against fixation), the user
 * recorded by `logIn`, and `req.otp` reloaded for that user. Verifies nothing: a second factor, if
 * any, is the caller's to record. `oneFactorDevice`: the device a passwordless sign-in by code or
 * link used, which then cannot also verify the session as its second factor.
 */
export async function logInSession(req: Request, res: Response, logIn: LogIn, userId: string, oneFactorDevice: string | null = null): Promise<void> {
  await regenerateSession(req);
  await logIn(req, userId);
  if (oneFactorDevice === null) delete req.session.otpkitSignedInWith;
  else req.session.otpkitSignedInWith = oneFactorDevice;
  req.otp = await loadOtpState(req, res, contextOf(req), userId);
}
