import { randomBytes } from 'node:crypto';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';
import { expect, it } from 'vitest';
import { freshAssertion, registerCredential, requestOptions, startRegistration } from './test-support/enrol-credential.js';
import { SOFT_AAGUID, SoftAuthenticator } from './test-support/soft-authenticator.js';
import { describeOnBackends, FOREIGN_ORIGINS, FOREIGN_RP_IDS } from './test-support/webauthn-fixture.js';

describeOnBackends('WebAuthn registration', (fixture) => {
  const authenticator = new SoftAuthenticator();
  const CHALLENGE_SECONDS = 300;

  it('creation options name the relying party, the account, the device user handle and its pending challenge', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const { device, publicKey } = await startRegistration(otp, user);
    expect(publicKey).toMatchObject({
      challenge: device.challenge,
      rp: { name: 'Acme', id: 'acme.example' },
      user: { id: device.userHandle, name: user, displayName: user },
      pubKeyCredParams: [{ alg: -7, type: 'public-key' }, { alg: -257, type: 'public-key' }],
      attestation: 'none',
      excludeCredentials: [],
      authenticatorSelection: { residentKey: 'preferred', requireResidentKey: false, userVerification: 'preferred' },
      extensions: { credProps: true },
    });
    expect(device.userHandle).not.toContain(user);
    expect(Buffer.from(device.userHandle!, 'base64url')).toHaveLength(32);
  });

  it('stores the credential id, COSE public key, counter, transports, AAGUID, backup state and discoverability', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const { device, publicKey } = await startRegistration(otp, user);
    const response = authenticator.register(publicKey, { synced: true });
    const outcome = await otp.confirmDevice(user, device.persistentId, response);
    expect(outcome.ok).toBe(true);
    const stored = await fixture.reload(otp, device);
    expect(stored).toMatchObject({
      confirmed: true,
      credentialId: response.id,
      signCount: 1,
      transports: ['internal'],
      aaguid: SOFT_AAGUID,
      backedUp: true,
      multiDevice: true,
      discoverable: true,
      userVerified: true,
      challenge: null,
      challengeExpiresAt: null,
      challengeSession: null,
    });
    const coseKey = decodeCredentialPublicKey(Buffer.from(stored.publicKey!, 'base64url'));
    expect(coseKey.get(3)).toBe(-7); // ES256, as the authenticator made it
    expect(stored.isPasskey()).toBe(true);
    expect(stored.authenticatorName()).toBe('YubiKey 5 Series');
    // The stored key is the credential's: an assertion it signs verifies.
    expect((await otp.verify(user, device.persistentId, await freshAssertion(otp, stored, authenticator))).ok).toBe(true);
  });

  it('a security key without a resident key or sync is stored as neither discoverable nor backed up', async () => {
    const otp = fixture.otp();
    const device = await registerCredential(otp, fixture.newUser(), authenticator, { residentKey: false, synced: false, userVerification: false });
    expect(device).toMatchObject({ backedUp: false, multiDevice: false, discoverable: false, userVerified: false });
    expect(device.isPasskey()).toBe(false);
  });

  it("a second enrolment's creation options exclude the first credential", async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const first = await registerCredential(otp, user, authenticator);
    const { publicKey } = await startRegistration(otp, user);
    expect(publicKey.excludeCredentials).toEqual([{ id: first.credentialId, type: 'public-key', transports: ['internal'] }]);
    const { publicKey: otherUsers } = await startRegistration(otp, fixture.newUser());
    expect(otherUsers.excludeCredentials).toEqual([]);
  });

  it('several credentials per user: each verifies only its own assertions, and match finds the one that signed', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const phone = new SoftAuthenticator();
    const key = new SoftAuthenticator();
    const onPhone = await registerCredential(otp, user, phone);
    const onKey = await registerCredential(otp, user, key);
    expect(onPhone.credentialId).not.toBe(onKey.credentialId);

    const phoneRequest = await requestOptions(otp, onPhone);
    const phoneAssertion = phone.assert(phoneRequest);
    // The key signs the phone's challenge with its own credential.
    const keyAssertionOfPhoneChallenge = key.assert({ ...phoneRequest, allowCredentials: (await requestOptions(otp, onKey)).allowCredentials });
    await fixture.refusedWithoutChange(otp, onKey, 'invalid_token', () => otp.verify(user, onKey.persistentId, phoneAssertion));
    await fixture.refusedWithoutChange(otp, onPhone, 'invalid_token', () => otp.verify(user, onPhone.persistentId, keyAssertionOfPhoneChallenge));
    expect(await otp.verify(user, onPhone.persistentId, phoneAssertion)).toMatchObject({ ok: true, device: { id: onPhone.id } });

    // Both have a pending challenge; match picks the credential that signed, whichever is listed first.
    const nextPhoneRequest = await requestOptions(otp, onPhone);
    const keyAssertion = key.assert(await requestOptions(otp, onKey));
    expect(await otp.matchToken(user, keyAssertion)).toMatchObject({ id: onKey.id });
    expect(await otp.matchToken(user, phone.assert(nextPhoneRequest))).toMatchObject({ id: onPhone.id });
  });

  it('replayed registration: refused once the device is confirmed', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const { device, publicKey } = await startRegistration(otp, user);
    const response = authenticator.register(publicKey);
    expect((await otp.confirmDevice(user, device.persistentId, response)).ok).toBe(true);
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.confirmDevice(user, device.persistentId, response));
  });

  /**
   * Starts a registration, expects each answer `forge` makes from its creation options refused
   * with the registration left pending, then confirms it with the genuine answer.
   */
  async function refusedWhilePending(forge: (publicKey: PublicKeyCredentialCreationOptionsJSON) => Promise<RegistrationResponseJSON[]>): Promise<void> {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const { device, publicKey } = await startRegistration(otp, user);
    for (const forged of await forge(publicKey)) {
      await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.confirmDevice(user, device.persistentId, forged));
    }
    expect((await otp.confirmDevice(user, device.persistentId, authenticator.register(publicKey))).ok).toBe(true);
  }

  it('registration from the wrong origin: refused, the registration still pending', () =>
    refusedWhilePending(async (publicKey) => FOREIGN_ORIGINS.map((origin) => authenticator.register(publicKey, { origin }))));

  it('registration for the wrong rpID: refused, the registration still pending', () =>
    refusedWhilePending(async (publicKey) => FOREIGN_RP_IDS.map((rpID) => authenticator.register(publicKey, { rpID }))));

  it("registration for the wrong challenge: another enrolment's or a made-up one is refused", () =>
    refusedWhilePending(async (publicKey) => {
      const other = await startRegistration(fixture.otp(), fixture.newUser());
      return [other.publicKey.challenge, randomBytes(32).toString('base64url')].map((challenge) => authenticator.register({ ...publicKey, challenge }));
    }));

  it('expired registration challenge: refused at challengeSeconds, accepted just before', async () => {
    const otp = fixture.otp();
    const late = fixture.newUser();
    const lateRegistration = await startRegistration(otp, late);
    const justInTime = fixture.newUser();
    const inTimeRegistration = await startRegistration(otp, justInTime);
    fixture.clock.advanceSeconds(CHALLENGE_SECONDS - 1);
    expect((await otp.confirmDevice(justInTime, inTimeRegistration.device.persistentId, authenticator.register(inTimeRegistration.publicKey))).ok).toBe(true);
    fixture.clock.advanceSeconds(1);
    const response = authenticator.register(lateRegistration.publicKey);
    await fixture.refusedWithoutChange(otp, lateRegistration.device, 'invalid_token', () => otp.confirmDevice(late, lateRegistration.device.persistentId, response));
    // A new challenge restarts the registration (the enrolment itself has not expired).
    const restarted = await requestOptions(otp, lateRegistration.device);
    expect(restarted.challenge).not.toBe(lateRegistration.publicKey.challenge);
    const renewed = authenticator.register({ ...lateRegistration.publicKey, challenge: restarted.challenge });
    expect((await otp.confirmDevice(late, lateRegistration.device.persistentId, renewed)).ok).toBe(true);
  });

  it('registration bound to session A: refused with session B or with no session, confirmed with A', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const { device, publicKey } = await startRegistration(otp, user, { session: 'session-A' });
    const credential = authenticator.register(publicKey);
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.confirmDevice(user, device.persistentId, { credential, session: 'session-B' }));
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.confirmDevice(user, device.persistentId, credential));
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.confirmDevice(user, device.persistentId, { credential }));
    expect((await otp.confirmDevice(user, device.persistentId, { credential, session: 'session-A' })).ok).toBe(true);
  });

  it("another user's registration: confirming someone else's enrolment is refused as no_device", async () => {
    const otp = fixture.otp();
    const owner = fixture.newUser();
    const { device, publicKey } = await startRegistration(otp, owner);
    const response = authenticator.register(publicKey);
    await fixture.refusedWithoutChange(otp, device, 'no_device', () => otp.confirmDevice(fixture.newUser(), device.persistentId, response));
    expect((await otp.confirmDevice(owner, device.persistentId, response)).ok).toBe(true);
  });

  it("user verification required: a registration without it is refused; with it, it is confirmed", async () => {
    const otp = fixture.otp({ userVerification: 'required' });
    const user = fixture.newUser();
    const { device, publicKey } = await startRegistration(otp, user);
    expect(publicKey.authenticatorSelection?.userVerification).toBe('required');
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.confirmDevice(user, device.persistentId, authenticator.register(publicKey, { userVerification: false })));
    expect((await otp.confirmDevice(user, device.persistentId, authenticator.register(publicKey))).ok).toBe(true);
  });
});

