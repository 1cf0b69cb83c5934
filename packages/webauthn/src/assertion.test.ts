import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { expect, it } from 'vitest';
import type { WebAuthnOptions } from './options.js';
import { freshAssertion, registerCredential, requestOptions } from './test-support/enrol-credential.js';
import { SoftAuthenticator, tamperedSignature } from './test-support/soft-authenticator.js';
import { describeOnBackends, FOREIGN_ORIGINS, FOREIGN_RP_IDS } from './test-support/webauthn-fixture.js';

describeOnBackends('WebAuthn assertions', (fixture) => {
  const CHALLENGE_SECONDS = 300;

  /** A user with one registered credential of a soft authenticator of their own. */
  async function registered(options: Partial<WebAuthnOptions> = {}) {
    const otp = fixture.otp(options);
    const user = fixture.newUser();
    const authenticator = new SoftAuthenticator();
    const device = await registerCredential(otp, user, authenticator);
    return { otp, user, authenticator, device };
  }

  it('a fresh assertion verifies: the counter, last use and user verification are stored and the challenge is spent', async () => {
    const { otp, user, authenticator, device } = await registered();
    const request = await requestOptions(otp, device);
    expect(request).toMatchObject({ rpId: 'acme.example', allowCredentials: [{ id: device.credentialId, type: 'public-key', transports: ['internal'] }], userVerification: 'preferred', timeout: CHALLENGE_SECONDS * 1000 });
    expect(await fixture.stateOf(otp, device)).toMatchObject({ challenge: request.challenge, challengeExpiresAt: fixture.clock.now() + CHALLENGE_SECONDS * 1000 });
    const outcome = await otp.verify(user, device.persistentId, authenticator.assert(request));
    expect(outcome.ok).toBe(true);
    expect(await fixture.stateOf(otp, device)).toMatchObject({ signCount: 2, userVerified: true, lastUsedAt: fixture.clock.now(), challenge: null, challengeExpiresAt: null, challengeSession: null });
  });

  it('replayed assertion: refused', async () => {
    const { otp, user, authenticator, device } = await registered();
    const assertion = await freshAssertion(otp, device, authenticator);
    expect((await otp.verify(user, device.persistentId, assertion)).ok).toBe(true);
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.verify(user, device.persistentId, assertion));
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.match(user, assertion));
  });

  it('a challenge used twice: the second assertion for one challenge is refused', async () => {
    const { otp, user, authenticator, device } = await registered();
    const request = await requestOptions(otp, device);
    const first = authenticator.assert(request);
    const second = authenticator.assert(request); // a higher counter, a valid signature: only the challenge is spent
    expect((await otp.verify(user, device.persistentId, first)).ok).toBe(true);
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.verify(user, device.persistentId, second));
  });

  /**
   * Issues a challenge, expects each assertion `forge` makes for it refused with the challenge
   * still pending, then verifies the genuine assertion.
   */
  async function refusedWhilePending(forge: (request: PublicKeyCredentialRequestOptionsJSON, authenticator: SoftAuthenticator) => AuthenticationResponseJSON[]): Promise<void> {
    const { otp, user, authenticator, device } = await registered();
    const request = await requestOptions(otp, device);
    for (const forged of forge(request, authenticator)) {
      await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.verify(user, device.persistentId, forged));
    }
    expect((await otp.verify(user, device.persistentId, authenticator.assert(request))).ok).toBe(true);
  }

  it('tampered signature: refused, the challenge still pending', () =>
    refusedWhilePending((request, authenticator) => [tamperedSignature(authenticator.assert(request))]));

  it('wrong origin: refused, the challenge still pending', () =>
    refusedWhilePending((request, authenticator) => FOREIGN_ORIGINS.map((origin) => authenticator.assert(request, { origin }))));

  it('wrong rpID: refused, the challenge still pending', () =>
    refusedWhilePending((request, authenticator) => FOREIGN_RP_IDS.map((rpID) => authenticator.assert(request, { rpID }))));

  it('wrong challenge: an assertion made for a different challenge is refused', async () => {
    const { otp, user, authenticator, device } = await registered();
    const superseded = await requestOptions(otp, device);
    const current = await requestOptions(otp, device);
    const madeUp = { ...current, challenge: randomBytes(32).toString('base64url') };
    for (const request of [superseded, madeUp]) {
      await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.verify(user, device.persistentId, authenticator.assert(request)));
    }
    expect((await otp.verify(user, device.persistentId, authenticator.assert(current))).ok).toBe(true);
  });

  it('expired challenge: refused at challengeSeconds, accepted just before', async () => {
    const { otp, user, authenticator, device } = await registered();
    const inTime = await requestOptions(otp, device);
    fixture.clock.advanceSeconds(CHALLENGE_SECONDS - 1);
    expect((await otp.verify(user, device.persistentId, authenticator.assert(inTime))).ok).toBe(true);
    const late = await requestOptions(otp, device);
    fixture.clock.advanceSeconds(CHALLENGE_SECONDS);
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.verify(user, device.persistentId, authenticator.assert(late)));
  });

  it("another user's credential: an assertion by it, even of this device's challenge, is refused", async () => {
    const alice = await registered();
    const mallory = await registered();
    const aliceRequest = await requestOptions(alice.otp, alice.device);
    const malloryRequest = await requestOptions(mallory.otp, mallory.device);
    const ownChallenge = mallory.authenticator.assert(malloryRequest);
    const alicesChallenge = mallory.authenticator.assert({ ...aliceRequest, allowCredentials: malloryRequest.allowCredentials });
    for (const assertion of [ownChallenge, alicesChallenge]) {
      await fixture.refusedWithoutChange(alice.otp, alice.device, 'invalid_token', () => alice.otp.verify(alice.user, alice.device.persistentId, assertion));
      await fixture.refusedWithoutChange(alice.otp, alice.device, 'invalid_token', () => alice.otp.match(alice.user, assertion));
    }
    expect((await alice.otp.verify(alice.user, alice.device.persistentId, alice.authenticator.assert(aliceRequest))).ok).toBe(true);
  });

  it("another user's id: verifying someone else's device is refused as no_device", async () => {
    const alice = await registered();
    const mallory = fixture.newUser();
    const assertion = await freshAssertion(alice.otp, alice.device, alice.authenticator);
    await fixture.refusedWithoutChange(alice.otp, alice.device, 'no_device', () => alice.otp.verify(mallory, alice.device.persistentId, assertion));
    await fixture.refusedWithoutChange(alice.otp, alice.device, 'invalid_token', () => alice.otp.match(mallory, assertion));
    expect((await alice.otp.verify(alice.user, alice.device.persistentId, assertion)).ok).toBe(true);
  });

  it('session binding: a challenge issued to session A is refused with session B and bare, accepted with A', async () => {
    const { otp, user, authenticator, device } = await registered();
    const credential = authenticator.assert(await requestOptions(otp, device, 'session-A'));
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.verify(user, device.persistentId, { credential, session: 'session-B' }));
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.verify(user, device.persistentId, credential));
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.verify(user, device.persistentId, { credential }));
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.match(user, { credential, session: 'session-B' }));
    expect((await otp.verify(user, device.persistentId, { credential, session: 'session-A' })).ok).toBe(true);
  });

  it("user verification required: an assertion without it is refused; with it, it verifies", async () => {
    const { otp, user, authenticator, device } = await registered({ userVerification: 'required' });
    const request = await requestOptions(otp, device);
    expect(request.userVerification).toBe('required');
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.verify(user, device.persistentId, authenticator.assert(request, { userVerification: false })));
    expect(await otp.verify(user, device.persistentId, authenticator.assert(request))).toMatchObject({ ok: true, device: { userVerified: true } });
  });

  it('user verification preferred (the default): an assertion without it verifies and is recorded as unverified', async () => {
    const { otp, user, authenticator, device } = await registered();
    const outcome = await otp.verify(user, device.persistentId, authenticator.assert(await requestOptions(otp, device), { userVerification: false }));
    expect(outcome).toMatchObject({ ok: true, device: { userVerified: false } });
    expect((await fixture.reload(otp, device)).userVerified).toBe(false);
  });
});
