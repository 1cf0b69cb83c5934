/**
 * @otpkit/webauthn: passkeys and security keys as otpkit devices, for a second factor and for a
 * passwordless sign-in, on `@simplewebauthn/server`.
 * @packageDocumentation
 */
export { webauthn, WEBAUTHN_BROWSER_SCRIPT, type WebAuthnDeviceInput } from './webauthn.js';
export { WebAuthnDevice, WEBAUTHN_COLUMNS, type WebAuthnEnrolment } from './webauthn-device.js';
export { resolveWebAuthnOptions, type WebAuthnOptions, type ResolvedWebAuthnOptions, type UserVerification } from './options.js';
export { PasskeySignIn, type PasskeySignInOptions, type PasskeyBinding, type PasskeyStart, type PasskeyOutcome } from './passkey-sign-in.js';
export { aaguidName } from './aaguid-names.js';
export { PASSKEY_CEREMONY_TABLE, passkeyCeremonyMigration } from './passkey-ceremonies.js';
export type { WebAuthnToken } from './credential-token.js';
