import type { Request, Response } from 'express';
import type { Device } from '@otpkit/core';
import type { LogIn } from '../passkey-sign-in-flow.js';
import { logInSession } from './session-sign-in.js';

/**
 * Signs the user in with a passkey that `PasskeySignInFlow.finish` accepted: a new session id,
 * the user recorded by `logIn`, and the session verified by the passkey (method `passkey`, with
 * its user verification), so a passkey is both factors. A sign-in without user verification (a
 * touch of the key: one factor) changes nothing and answers `false`.
 */
export async function logInWithPasskey(req: Request, res: Response, logIn: LogIn, signedIn: { userId: string; device: Device<any, any>; userVerified: boolean }): Promise<boolean> {
  if (signedIn.userVerified !== true) return false;
  await logInSession(req, res, logIn, signedIn.userId);
  await req.otp.login(signedIn.device, 'passkey', true);
  return true;
}
