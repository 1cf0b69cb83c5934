import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { expect, it } from 'vitest';
import { PasskeySignIn } from './passkey-sign-in.js';
import { registerCredential, requestOptions, startRegistration } from './test-support/enrol-credential.js';
import { SoftAuthenticator } from './test-support/soft-authenticator.js';
import { describeOnBackends } from './test-support/webauthn-fixture.js';

type Breaker<T> = readonly [name: string, broken: (valid: T) => unknown];

const b64url = (text: string) => Buffer.from(text).toString('base64url');
const randomId = () => randomBytes(32).toString('base64url');

function without<T extends object>(value: T, key: keyof T): Partial<T> {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

/** Input that is no credential at all, made from a valid one: `malformed_token` wherever it goes. */
const NOT_A_CREDENTIAL: readonly Breaker<AuthenticationResponseJSON | RegistrationResponseJSON>[] = [
  ['an empty string', () => ''],
  ['text that is no JSON', () => 'not a credential'],
  ['broken JSON', (valid) => JSON.stringify(valid).slice(0, 40)],
  ['a number', () => 42],
  ['null', () => null],
  ['undefined', () => undefined],
  ['a boolean', () => true],
  ['an array holding the credential', (valid) => [valid]],
  ['an empty object', () => ({})],
  ['JSON text over 16 KiB', (valid) => JSON.stringify({ ...valid, padding: 'x'.repeat(16 * 1024) })],
  ['JSON text of a string', (valid) => JSON.stringify(JSON.stringify(valid))],
  ['no id', (valid) => without(valid, 'id')],
  ['a rawId unlike the id', (valid) => ({ ...valid, rawId: randomId() })],
  ['an id that is no base64url', (valid) => ({ ...valid, id: 'a+b/c=', rawId: 'a+b/c=' })],
  ['another credential type', (valid) => ({ ...valid, type: 'password' })],
  ['no response', (valid) => without(valid, 'response')],
  ['a response that is a string', (valid) => ({ ...valid, response: 'response' })],
  ['no client data', (valid) => ({ ...valid, response: without(valid.response, 'clientDataJSON') })],
  ['client data over its limit', (valid) => ({ ...valid, response: { ...valid.response, clientDataJSON: 'A'.repeat(5000) } })],
  ['a user handle that is a number', (valid) => ({ ...valid, response: { ...valid.response, userHandle: 7 } })],
  ['transports that are no list', (valid) => ({ ...valid, response: { ...valid.response, transports: 'usb' } })],
  ['both an attestation and an assertion', (valid) => ({ ...valid, response: { ...valid.response, attestationObject: 'AAAA', authenticatorData: 'AAAA', signature: 'AAAA' } })],
  ['extension results that are no object', (valid) => ({ ...valid, clientExtensionResults: 'none' })],
  ['a wrapper around garbage', () => ({ credential: 'garbage', session: 'session-A' })],
  ['a wrapper with a numeric session', (valid) => ({ credential: valid, session: 7 })],
  ['a wrapper with an empty session', (valid) => ({ credential: valid, session: '' })],
  ['a wrapper with a session over 256 characters', (valid) => ({ credential: valid, session: 's'.repeat(257) })],
];

/** Assertions missing a part only assertions have: `malformed_token`. */
const NOT_AN_ASSERTION: readonly Breaker<AuthenticationResponseJSON>[] = [
  ['no signature', (valid) => ({ ...valid, response: without(valid.response, 'signature') })],
  ['no authenticator data', (valid) => ({ ...valid, response: without(valid.response, 'authenticatorData') })],
  ['a signature over 1 KiB', (valid) => ({ ...valid, response: { ...valid.response, signature: 'A'.repeat(1025) } })],
];

/** Registrations missing a part only registrations have: `malformed_token`. */
const NOT_A_REGISTRATION: readonly Breaker<RegistrationResponseJSON>[] = [
  ['no attestation object', (valid) => ({ ...valid, response: without(valid.response, 'attestationObject') })],
  ['an attestation object over 16 KiB', (valid) => ({ ...valid, response: { ...valid.response, attestationObject: 'A'.repeat(16 * 1024 + 1) } })],
];

/** Assertions that are well-formed but broken: `invalid_token`. */
const BROKEN_ASSERTIONS: readonly Breaker<AuthenticationResponseJSON>[] = [
  ['client data that is no JSON', (valid) => ({ ...valid, response: { ...valid.response, clientDataJSON: 'AAAA' } })],
  ['client data without a challenge', (valid) => ({ ...valid, response: { ...valid.response, clientDataJSON: b64url(JSON.stringify({ type: 'webauthn.get', origin: 'https://acme.example' })) } })],
  ['authenticator data cut short', (valid) => ({ ...valid, response: { ...valid.response, authenticatorData: 'AAAA' } })],
  ['a signature that is no signature', (valid) => ({ ...valid, response: { ...valid.response, signature: 'AAAA' } })],
  ['a user handle of another user', (valid) => ({ ...valid, response: { ...valid.response, userHandle: randomId() } })],
  ['the id of no credential', (valid) => { const id = randomId(); return { ...valid, id, rawId: id }; }],
];

/** Registrations that are well-formed but broken: `invalid_token`. */
const BROKEN_REGISTRATIONS: readonly Breaker<RegistrationResponseJSON>[] = [
  ['an attestation object that is no CBOR', (valid) => ({ ...valid, response: { ...valid.response, attestationObject: 'AAAA' } })],
  ['client data that is no JSON', (valid) => ({ ...valid, response: { ...valid.response, clientDataJSON: 'AAAA' } })],
  ['an id unlike the attested one', (valid) => { const id = randomId(); return { ...valid, id, rawId: id }; }],
];

describeOnBackends('WebAuthn malformed input', (fixture) => {
  /** A user with a confirmed credential (its challenge pending) and a registration in progress, and valid answers to both. */
  async function withPendingCeremonies() {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const authenticator = new SoftAuthenticator();
    const device = await registerCredential(otp, user, authenticator);
    const pending = await startRegistration(otp, user);
    const request = await requestOptions(otp, device);
    return { otp, user, device, pending, registration: authenticator.register(pending.publicKey), assertion: () => authenticator.assert(request) };
  }

  /** Expects each broken assertion refused for `reason` by verify and by match with nothing changed, then the genuine one verified. */
  async function verifyRefuses(breakers: readonly Breaker<AuthenticationResponseJSON>[], reason: 'malformed_token' | 'invalid_token'): Promise<void> {
    const { otp, user, device, assertion } = await withPendingCeremonies();
    for (const [name, broken] of breakers) {
      const token = broken(assertion());
      await fixture.refusedWithoutChange(otp, device, reason, () => otp.verify(user, device.persistentId, token)).catch(failedFor(name));
      await fixture.refusedWithoutChange(otp, device, reason, () => otp.match(user, token)).catch(failedFor(name));
    }
    expect((await otp.verify(user, device.persistentId, assertion())).ok).toBe(true);
  }

  /** Expects each broken registration refused for `reason` by confirmDevice with the registration left pending, then the genuine one confirmed. */
  async function confirmRefuses(breakers: readonly Breaker<RegistrationResponseJSON>[], reason: 'malformed_token' | 'invalid_token'): Promise<void> {
    const { otp, user, pending, registration } = await withPendingCeremonies();
    for (const [name, broken] of breakers) {
      const token = broken(registration);
      await fixture.refusedWithoutChange(otp, pending.device, reason, () => otp.confirmDevice(user, pending.device.persistentId, token)).catch(failedFor(name));
    }
    expect((await otp.confirmDevice(user, pending.device.persistentId, registration)).ok).toBe(true);
  }

  it('garbage given to verify and match: malformed_token, nothing changed, never a throw', () => verifyRefuses([...NOT_A_CREDENTIAL, ...NOT_AN_ASSERTION], 'malformed_token'));

  it('garbage given to confirmDevice: malformed_token, the registration still pending', () => confirmRefuses([...NOT_A_CREDENTIAL, ...NOT_A_REGISTRATION], 'malformed_token'));

  it('broken assertions given to verify and match: invalid_token, nothing changed', () => verifyRefuses(BROKEN_ASSERTIONS, 'invalid_token'));

  it('broken registrations given to confirmDevice: invalid_token, the registration still pending', () => confirmRefuses(BROKEN_REGISTRATIONS, 'invalid_token'));

  it('registration JSON given to verify, and an assertion given to confirmDevice: invalid_token, nothing changed', async () => {
    const { otp, user, device, pending, registration, assertion } = await withPendingCeremonies();
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.verify(user, device.persistentId, registration));
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.confirmDevice(user, device.persistentId, registration));
    await fixture.refusedWithoutChange(otp, pending.device, 'invalid_token', () => otp.confirmDevice(user, pending.device.persistentId, assertion()));
  });

  it('garbage given to a passkey sign-in: malformed_token or invalid_token, never a user and never a throw', async () => {
    const { otp, device, registration } = await withPendingCeremonies();
    const passkeys = new PasskeySignIn(otp);
    const authenticator = new SoftAuthenticator();
    const passkey = await registerCredential(otp, fixture.newUser(), authenticator);
    const cases: [string, unknown, 'malformed_token' | 'invalid_token'][] = [['registration JSON', registration, 'malformed_token']];
    for (const [name, broken] of [...NOT_A_CREDENTIAL, ...NOT_AN_ASSERTION]) cases.push([name, broken(authenticator.assert((await passkeys.start()).request)), 'malformed_token']);
    for (const [name, broken] of BROKEN_ASSERTIONS) cases.push([name, broken(authenticator.assert((await passkeys.start()).request)), 'invalid_token']);
    for (const [name, token, reason] of cases) {
      for (const target of [device, passkey]) {
        await fixture.refusedWithoutChange(otp, target, reason, () => passkeys.finish(token)).catch(failedFor(name));
      }
    }
  });
});

/** Rethrows a failed expectation with the name of the input that caused it. */
function failedFor(name: string): (error: unknown) => never {
  return (error) => {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  };
}
