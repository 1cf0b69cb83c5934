import { randomBytes } from 'node:crypto';
import { ValidationError } from '@otpkit/core';
import { expect, it } from 'vitest';
import type { ImportedCredential } from './imported-credential.js';
import { PasskeySignIn } from './passkey-sign-in.js';
import { freshAssertion, requestOptions } from './test-support/enrol-credential.js';
import { encodeCbor } from './test-support/cbor.js';
import { SOFT_AAGUID, SoftAuthenticator } from './test-support/soft-authenticator.js';
import { describeOnBackends, type WebAuthnOtp } from './test-support/webauthn-fixture.js';
import type { WebAuthnDevice } from './webauthn-device.js';

describeOnBackends('Imported WebAuthn credentials', (fixture) => {
  /** A credential made outside any ceremony by a new soft authenticator, for a new user handle. */
  function madeElsewhere() {
    const authenticator = new SoftAuthenticator();
    const credential = authenticator.createCredential('acme.example', randomBytes(32).toString('base64url'));
    return { authenticator, credential };
  }

  async function imported(otp: WebAuthnOtp, user: string, credential: ImportedCredential): Promise<WebAuthnDevice> {
    return otp.createDevice('webauthn', user, { confirmed: true, credential });
  }

  it('an imported credential is stored as given, confirmed with no challenge, and then verifies', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const { authenticator, credential } = madeElsewhere();
    const device = await imported(otp, user, { ...credential, transports: ['usb', 'nfc'], aaguid: SOFT_AAGUID, discoverable: true, backedUp: true });
    expect(await fixture.reload(otp, device)).toMatchObject({
      confirmed: true,
      credentialId: credential.id,
      publicKey: credential.publicKey,
      userHandle: credential.userHandle,
      signCount: 1,
      transports: ['usb', 'nfc'],
      aaguid: SOFT_AAGUID,
      discoverable: true,
      backedUp: true,
      multiDevice: true,
      challenge: null,
    });
    const outcome = await otp.verify(user, device.persistentId, await freshAssertion(otp, device, authenticator));
    expect(outcome).toMatchObject({ ok: true, device: { signCount: 2 } });
  });

  it('enrol instead of create: refused, and no device is left behind', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const { credential } = madeElsewhere();
    await expect(otp.enroll('webauthn', user, { confirmed: true, credential })).rejects.toThrow(ValidationError);
    expect(await otp.devicesForUser(user)).toEqual([]);
  });

  it('an imported passkey signs in without a username', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const { authenticator, credential } = madeElsewhere();
    const device = await imported(otp, user, { ...credential, discoverable: true });
    const passkeys = new PasskeySignIn(otp);
    const { request } = await passkeys.start();
    expect(await passkeys.finish(authenticator.assert(request))).toMatchObject({ ok: true, userId: user, device: { id: device.id } });
  });

  it('imported without a user handle: a second factor whatever handle the authenticator names, never a passkey sign-in', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const { authenticator, credential } = madeElsewhere();
    const device = await imported(otp, user, { id: credential.id, publicKey: credential.publicKey, discoverable: true });
    expect(device).toMatchObject({ userHandle: null, signCount: 0, transports: null, aaguid: null, backedUp: false, purpose: 'second-factor' });
    const assertion = await freshAssertion(otp, device, authenticator);
    const securityKeyAnswer = { ...assertion, response: { ...assertion.response, userHandle: undefined } };
    expect((await otp.verify(user, device.persistentId, securityKeyAnswer)).ok).toBe(true);
    expect((await otp.verify(user, device.persistentId, await freshAssertion(otp, device, authenticator))).ok).toBe(true);
    const passkeys = new PasskeySignIn(otp);
    expect(await passkeys.finish(authenticator.assert((await passkeys.start()).request))).toEqual({ ok: false, reason: 'invalid_token' });
  });

  it('a credential without a user handle imported to sign in: a ValidationError on purpose, and nothing stored', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const { credential } = madeElsewhere();
    for (const purpose of ['login', 'both'] as const) {
      await expect(otp.createDevice('webauthn', user, { confirmed: true, purpose, credential: { id: credential.id, publicKey: credential.publicKey } })).rejects.toMatchObject({
        code: 'ERR_OTP_INVALID_INPUT',
        field: 'purpose',
      });
    }
    expect(await otp.devicesForUser(user)).toEqual([]);
    expect((await imported(otp, user, credential)).purpose).toBe('both');
  });

  it("an imported counter above the authenticator's: its assertions are refused as suspected_clone", async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const { authenticator, credential } = madeElsewhere();
    const device = await imported(otp, user, { ...credential, signCount: 100 });
    const request = await requestOptions(otp, device);
    await fixture.refusedWithoutChange(otp, device, 'suspected_clone', () => otp.verify(user, device.persistentId, authenticator.assert(request)));
  });

  it('a bad credential: a ValidationError naming the field, and nothing stored', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const { credential } = madeElsewhere();
    const notCose = randomBytes(77).toString('base64url');
    const cose = (entries: [number, number | Uint8Array][]) => encodeCbor(new Map(entries)).toString('base64url');
    const [x, y] = [randomBytes(32), randomBytes(32)];
    const cases: [field: string, bad: Record<string, unknown>][] = [
      ['id', { id: 'not base64url!' }],
      ['id', { id: 'a+b/c=' }],
      ['id', { id: 'A'.repeat(256) }],
      ['id', { id: undefined }],
      ['publicKey', { publicKey: 'a+b/c=' }],
      ['publicKey', { publicKey: notCose }],
      ['publicKey', { publicKey: 'AAAA' }],
      ['publicKey', { publicKey: cose([[1, 2], [3, -7]]) }],
      ['publicKey', { publicKey: cose([[1, 2], [3, -7], [-1, 1], [-2, x]]) }],
      ['publicKey', { publicKey: cose([[1, 99], [3, -7], [-1, 1], [-2, x], [-3, y]]) }],
      ['publicKey', { publicKey: cose([[1, 2], [3, 12345], [-1, 1], [-2, x], [-3, y]]) }],
      ['publicKey', { publicKey: 42 }],
      ['signCount', { signCount: -1 }],
      ['signCount', { signCount: 1.5 }],
      ['signCount', { signCount: '3' }],
      ['signCount', { signCount: Number.MAX_SAFE_INTEGER + 1 }],
      ['transports', { transports: 'usb' }],
      ['transports', { transports: [1] }],
      ['aaguid', { aaguid: 'not-a-uuid' }],
      ['userHandle', { userHandle: 'a b' }],
      ['userHandle', { userHandle: 'A'.repeat(129) }],
    ];
    for (const [field, bad] of cases) {
      const attempt = otp.createDevice('webauthn', user, { confirmed: true, credential: { ...credential, ...bad } as unknown as ImportedCredential });
      await expect(attempt, `${field}: ${JSON.stringify(bad)}`).rejects.toThrow(ValidationError);
      await expect(attempt, `${field}: ${JSON.stringify(bad)}`).rejects.toMatchObject({ field, message: expect.stringContaining(`credential.${field}`) });
    }
    await expect(otp.createDevice('webauthn', user, { confirmed: true, credential: null as unknown as ImportedCredential })).rejects.toMatchObject({ field: 'credential' });
    await expect(otp.createDevice('webauthn', user, { credential })).rejects.toMatchObject({ name: 'ValidationError', field: 'confirmed' });
    await expect(otp.createDevice('webauthn', user, { confirmed: true })).rejects.toMatchObject({ name: 'ValidationError', field: 'confirmed' });
    expect(await otp.devicesForUser(user)).toEqual([]);
  });
});
