import type { Router } from 'express';
import { browserBinding } from '../internal/ceremony-binding.js';
import { summarizeDevice } from '../internal/device-summary.js';
import { eventMeta } from '../internal/event-meta.js';
import { logInWithPasskey } from '../internal/passkey-login.js';
import type { LogIn, PasskeySignInFlow } from '../passkey-sign-in-flow.js';
import { ApiError } from './api-error.js';
import { parseBody } from './api-request.js';
import { passkeyBody } from './schemas.js';

/**
 * `POST /passkey/options` (a challenge naming no user, bound to the browser's session-free cookie,
 * so anonymous calls save no session) and `POST /passkey/verify` (the browser's assertion: signs
 * the user in and verifies the session with the passkey, which must have verified the user).
 * Every failure is the same 400 `invalid_token`, so the answer tells nothing about which accounts
 * or credentials exist.
 */
export function passkeyRoutes(router: Router, signIn: PasskeySignInFlow, logIn: LogIn): void {
  router.post('/passkey/options', async (req, res) => {
    const { request, validUntil } = await signIn.start({ session: browserBinding(req, res) });
    res.json({ request, validUntil });
  });

  router.post('/passkey/verify', async (req, res) => {
    const { credential } = parseBody(passkeyBody, req);
    const outcome = await signIn.finish(credential, { session: browserBinding(req, res) }, eventMeta(req));
    if (!outcome.ok) throw new ApiError(outcome.reason === 'malformed_token' ? 'malformed_token' : 'invalid_token');
    if (!(await logInWithPasskey(req, res, logIn, outcome))) throw new ApiError('invalid_token');
    res.json({ verified: true, userId: outcome.userId, device: summarizeDevice(outcome.device), verifiedAt: req.otp.verifiedAt, userVerified: req.otp.userVerified });
  });
}
