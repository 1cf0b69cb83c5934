import type { Request } from 'express';
import type { Device, EventMeta } from '@otpkit/core';

/** Binds a passkey ceremony to who started it: a secret value of the session or of the browser. */
export interface PasskeyCeremonyBinding {
  readonly session?: string | undefined;
}

/**
 * Passwordless sign-in with a passkey, as `@otpkit/webauthn`'s `PasskeySignIn` provides it:
 * `start` issues a challenge naming no user, `finish` spends it and returns the user the passkey
 * belongs to (or one refusal for every failure). `@otpkit/express` takes any object of this shape,
 * and refuses an accepted sign-in whose `userVerified` is not `true`: without the authenticator's
 * PIN or biometrics a passkey proves one factor, never both.
 */
export interface PasskeySignInFlow {
  /** The device type of the plugin whose passkeys sign in (`webauthn`): its browser script runs the ceremony. */
  readonly type: string;
  start(binding: PasskeyCeremonyBinding): Promise<{ readonly request: object; readonly validUntil: number }>;
  finish(
    token: unknown,
    binding: PasskeyCeremonyBinding,
    meta?: EventMeta,
  ): Promise<{ readonly ok: true; readonly userId: string; readonly device: Device<any, any>; readonly userVerified: boolean } | { readonly ok: false; readonly reason: string }>;
}

/** Records the signed-in user in the session; must agree with otpMiddleware's `getUserId`. */
export type LogIn = (req: Request, userId: string) => void | Promise<void>;

/** The default {@link LogIn}: `req.session.userId = userId`, where otpMiddleware's default `getUserId` reads it. */
export const defaultLogIn: LogIn = (req, userId) => {
  req.session.userId = userId;
};
