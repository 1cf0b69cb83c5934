import type { DevicePurpose, Otp } from '@otpkit/core';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { WebAuthnDevice } from '../webauthn-device.js';
import type { SoftAuthenticator, SoftAuthenticatorOptions } from './soft-authenticator.js';

/** A WebAuthn registration in progress: the unconfirmed device and the creation options its enrolment showed. */
export interface PendingRegistration {
  readonly device: WebAuthnDevice;
  readonly publicKey: PublicKeyCredentialCreationOptionsJSON;
}

/** Enrols a WebAuthn device for `userId` (optionally bound to `session`, for `purpose`) and returns it with its creation options. */
export async function startRegistration(otp: Otp, userId: string, input: { session?: string; name?: string; purpose?: DevicePurpose } = {}): Promise<PendingRegistration> {
  const enrolled = await otp.enroll('webauthn', userId, { account: userId, ...input });
  if (!enrolled.ok) throw new Error(`enrolment refused: ${enrolled.reason}`);
  return { device: enrolled.device as unknown as WebAuthnDevice, publicKey: (enrolled.display as { publicKey: PublicKeyCredentialCreationOptionsJSON }).publicKey };
}

/** Registers a credential of `authenticator` as a confirmed WebAuthn device of `userId` (for `purpose`), through enrol and confirm. */
export async function registerCredential(
  otp: Otp,
  userId: string,
  authenticator: SoftAuthenticator,
  overrides: Partial<SoftAuthenticatorOptions> = {},
  purpose?: DevicePurpose,
): Promise<WebAuthnDevice> {
  const { device, publicKey } = await startRegistration(otp, userId, purpose === undefined ? {} : { purpose });
  const response: RegistrationResponseJSON = authenticator.register(publicKey, overrides);
  const outcome = await otp.confirmDevice(userId, device.persistentId, response);
  if (!outcome.ok) throw new Error(`registration refused: ${outcome.reason}`);
  return (await otp.deviceFromPersistentId<WebAuthnDevice>(device.persistentId))!;
}

/** Asks `device` for a challenge (optionally bound to `session`) and returns its request options. */
export async function requestOptions(otp: Otp, device: WebAuthnDevice, session?: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const outcome = await otp.generateChallenge(device.userId, device.persistentId, session === undefined ? {} : { session });
  if (!outcome.ok || outcome.request === undefined) throw new Error(`challenge refused: ${outcome.ok ? 'no request' : outcome.reason}`);
  return outcome.request as unknown as PublicKeyCredentialRequestOptionsJSON;
}

/** A fresh assertion of `device` by `authenticator`, answering a new challenge. */
export async function freshAssertion(otp: Otp, device: WebAuthnDevice, authenticator: SoftAuthenticator): Promise<AuthenticationResponseJSON> {
  return authenticator.assert(await requestOptions(otp, device));
}
