/**
 * A confirmed device of each plugin type and a token it accepts now, made through the public API
 * the way a user's device would produce one.
 */
import { decodeBase32, hotpToken, parsePersistentId, totpTimeStep, type Device, type Otp } from '@otpkit/core';
import type { HOTPDevice } from '@otpkit/hotp';
import { addStaticToken } from '@otpkit/static';
import type { TOTPDevice } from '@otpkit/totp';
import type { WebAuthnDevice } from '@otpkit/webauthn';
import { freshAssertion } from '../../../packages/webauthn/src/test-support/enrol-credential.js';
import { SoftAuthenticator } from '../../../packages/webauthn/src/test-support/soft-authenticator.js';
import { RELYING_PARTY } from './plugins.mjs';

/** A device and a token it accepts at the clock's current time: a code, or a WebAuthn assertion's JSON. */
export interface DeviceWithToken<T = unknown> {
  readonly device: Device;
  readonly token: T;
}

/** The token of a plugin type: WebAuthn's is the assertion's JSON, every other a code. */
type TokenOf<P extends string> = P extends 'webauthn' ? object : string;

/**
 * Sends a challenge and reads the pending token back from its row (it is what the message
 * carried): the reliability tests configure no secret keys, so the column holds it in clear.
 */
async function challenged(otp: Otp, device: Device): Promise<string> {
  const outcome = await otp.generateChallenge(device.userId, device.persistentId);
  if (!outcome.ok) throw new Error(`challenge refused: ${outcome.reason}`);
  if (otp.secretBox.encrypts) throw new Error('challenged() reads the token column in clear: configure no secret keys');
  const row = await otp.knex(otp.model(parsePersistentId(device.persistentId)!.type).tableName).where('id', device.id).first();
  return String(row.token);
}

const makers: Record<string, (otp: Otp, userId: string) => Promise<DeviceWithToken>> = {
  async totp(otp, userId) {
    const device = (await otp.createDevice('totp', userId, { confirmed: true })) as TOTPDevice;
    const step = totpTimeStep(otp.clock(), device.step, device.t0);
    return { device, token: hotpToken(decodeBase32(device.revealKey()), step, device) };
  },
  async hotp(otp, userId) {
    const device = (await otp.createDevice('hotp', userId, { confirmed: true })) as HOTPDevice;
    return { device, token: hotpToken(decodeBase32(device.revealKey()), device.counter, device) };
  },
  async static(otp, userId) {
    const token = await addStaticToken(otp, userId);
    return { device: (await otp.devicesForUser(userId))[0]!, token };
  },
  async email(otp, userId) {
    const device = await otp.createDevice('email', userId, { confirmed: true, email: `${userId}@example.test` });
    return { device, token: await challenged(otp, device) };
  },
  async sms(otp, userId) {
    const device = await otp.createDevice('sms', userId, { confirmed: true, number: '+14155550100' });
    return { device, token: await challenged(otp, device) };
  },
  async webauthn(otp, userId) {
    const authenticator = new SoftAuthenticator();
    const credential = authenticator.createCredential(RELYING_PARTY.rpID, Buffer.from(userId).toString('base64url'));
    const device = (await otp.createDevice('webauthn', userId, { confirmed: true, credential })) as unknown as WebAuthnDevice;
    return { device, token: await freshAssertion(otp, device, authenticator) };
  },
};

/** Creates a confirmed device of `type` for `userId` and returns it with a token it accepts now. */
export function deviceWithToken<P extends string>(otp: Otp, type: P, userId: string): Promise<DeviceWithToken<TokenOf<P>>> {
  const make = makers[type];
  if (make === undefined) throw new Error(`no device maker for ${type}`);
  return make(otp, userId) as Promise<DeviceWithToken<TokenOf<P>>>;
}
