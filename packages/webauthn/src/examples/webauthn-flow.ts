import { createOtp } from '@otpkit/core';
import { PasskeySignIn, webauthn, type WebAuthnEnrolment } from '@otpkit/webauthn';
import type { Knex } from 'knex';

/**
 * The page's part, in the browser: `navigator.credentials.create({ publicKey })` and
 * `navigator.credentials.get({ publicKey })` with the options the server sent, answering the
 * credential's JSON (`credential.toJSON()`, or `@simplewebauthn/browser`'s `startRegistration`
 * and `startAuthentication`). The server relays JSON both ways.
 */
export interface Browser {
  create(publicKey: WebAuthnEnrolment['publicKey']): Promise<unknown>;
  get(publicKey: object): Promise<unknown>;
}

// #region setup
/** An otpkit instance with WebAuthn devices for https://acme.example. */
export async function createPasskeyOtp(knex: Knex, alert: (line: string) => void) {
  const otp = createOtp({
    knex,
    devices: [
      webauthn({
        rpName: 'Acme', // shown by the browser and the password manager
        rpID: 'acme.example', // the public registrable domain: every credential is bound to it for good
        origins: 'https://acme.example', // the origin the browser shows, never the backend's http://127.0.0.1:3000
      }),
    ],
    secretKeys: { '1': process.env.OTP_KEY_1 },
    events: {
      // A genuine assertion whose signature counter went back: the authenticator may have been copied.
      cloneSuspected: (event) => alert(`user ${event.userId}: ${event.deviceId} may be a copy (from ${event.ip ?? 'an unknown address'})`),
    },
  });
  await otp.migrate(); // otp_webauthn_device and otp_webauthn_ceremony
  return otp;
}
// #endregion

type PasskeyOtp = Awaited<ReturnType<typeof createPasskeyOtp>>;

/**
 * Registers a passkey or security key for `userId`, then uses it as a second factor. `binding` is a
 * secret random value kept in the user's session (never the session id): a ceremony begun in one
 * session cannot be finished in another.
 */
export async function webauthnFlow(otp: PasskeyOtp, userId: string, binding: string, browser: Browser) {
  // #region register
  const enrolled = await otp.enroll('webauthn', userId, { name: 'Phone', session: binding });
  if (!enrolled.ok) throw new Error(`enrolment refused: ${enrolled.reason}`);
  const { persistentId } = enrolled.device;
  const created = await browser.create(enrolled.display.publicKey); // navigator.credentials.create
  const confirmed = await otp.confirmDevice(userId, persistentId, { credential: created, session: binding });
  // confirmed: { ok: true, device } with the credential stored: its id, public key, counter, AAGUID, flags
  // #endregion

  // #region second-factor
  const challenge = await otp.generateChallenge(userId, persistentId, { session: binding });
  if (!challenge.ok) throw new Error(`challenge refused: ${challenge.reason}`);
  const assertion = await browser.get(challenge.request!); // navigator.credentials.get
  const verified = await otp.verify(userId, persistentId, { credential: assertion, session: binding });
  // verified: { ok: true, device }, or { ok: false, reason: 'invalid_token' | 'suspected_clone' | … }
  // #endregion

  return { persistentId, confirmed, verified };
}

// #region import
/** Imports a credential registered by another system: confirmed at once, without a ceremony. */
export async function importCredential(otp: PasskeyOtp, userId: string, exported: { id: string; publicKey: string; signCount: number; userHandle: string }) {
  return otp.createDevice('webauthn', userId, {
    name: 'Security key',
    confirmed: true,
    credential: { ...exported, transports: ['usb'], discoverable: false, backedUp: false },
  });
}
// #endregion

// #region passkey
/** Signs in with a passkey, no username asked: the user's id, or `null` whatever went wrong. */
export async function passkeySignIn(otp: PasskeyOtp, binding: string, browser: Browser): Promise<string | null> {
  const passkeys = new PasskeySignIn(otp);
  const { request } = await passkeys.start({ session: binding }); // lists no credential: the user picks a passkey
  const assertion = await browser.get(request);
  const outcome = await passkeys.finish(assertion, { session: binding });
  // { ok: true, userId, device, userVerified: true }, or one refusal for every failure
  return outcome.ok ? outcome.userId : null;
}
// #endregion
