import { deviceContractSuite } from '@otpkit/core/testing';
import type { Otp } from '@otpkit/core';
import { webauthn, type WebAuthnDevice } from '@otpkit/webauthn';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { freshAssertion, startRegistration } from './test-support/enrol-credential.js';
import { SoftAuthenticator, tamperedSignature } from './test-support/soft-authenticator.js';

const authenticator = new SoftAuthenticator();
/** The registration answer of each unconfirmed device, made when it was enrolled. */
const registrations = new Map<string, RegistrationResponseJSON>();

/** A confirmed device is imported (made by the authenticator outside a ceremony); an unconfirmed one is an enrolment. */
async function create(otp: Otp, userId: string, confirmed: boolean): Promise<WebAuthnDevice> {
  if (confirmed) {
    const credential = authenticator.createCredential('acme.example', Buffer.from(userId).toString('base64url'));
    return (await otp.createDevice('webauthn', userId, { confirmed: true, credential })) as unknown as WebAuthnDevice;
  }
  const { device, publicKey } = await startRegistration(otp, userId);
  registrations.set(device.persistentId, authenticator.register(publicKey));
  return device;
}

async function validToken(device: WebAuthnDevice, otp: Otp): Promise<RegistrationResponseJSON | AuthenticationResponseJSON> {
  const pending = registrations.get(device.persistentId);
  const current = (await otp.deviceFromPersistentId<WebAuthnDevice>(device.persistentId))!;
  if (!current.confirmed && pending !== undefined) return pending;
  return freshAssertion(otp, current, authenticator);
}

deviceContractSuite<WebAuthnDevice, RegistrationResponseJSON | AuthenticationResponseJSON>({
  plugin: () => webauthn({ rpName: 'Acme', rpID: 'acme.example', origins: 'https://acme.example' }),
  createDevice: create,
  validToken,
  wrongToken: (token) => ('signature' in token.response ? tamperedSignature(token as AuthenticationResponseJSON) : token),
});
