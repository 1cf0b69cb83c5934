import { randomBytes } from 'node:crypto';
import { ConfigurationError, type OtpEventOf } from '@otpkit/core';
import { expect, it } from 'vitest';
import { PASSKEY_CEREMONY_TABLE } from './passkey-ceremonies.js';
import { PasskeySignIn } from './passkey-sign-in.js';
import { freshAssertion, registerCredential, requestOptions } from './test-support/enrol-credential.js';
import { SoftAuthenticator } from './test-support/soft-authenticator.js';
import { describeOnBackends, FOREIGN_ORIGINS, FOREIGN_RP_IDS } from './test-support/webauthn-fixture.js';

describeOnBackends('Passkey sign-in', (fixture) => {
  const CHALLENGE_SECONDS = 300;

  /** A user with a registered passkey, and the sign-in of the otp instance it is on. */
  async function withPasskey() {
    const verified: OtpEventOf<'verified'>[] = [];
    const otp = fixture.otp({}, { events: { verified: (event) => void verified.push(event) } });
    const user = fixture.newUser();
    const authenticator = new SoftAuthenticator();
    const device = await registerCredential(otp, user, authenticator);
    return { otp, user, authenticator, device, passkeys: new PasskeySignIn(otp), verified };
  }

  it('start and finish: the user, the passkey, user verification; the ceremony is spent and the sign-in reported', async () => {
    const { otp, user, authenticator, device, passkeys, verified } = await withPasskey();
    const { request, validUntil } = await passkeys.start();
    expect(request).toMatchObject({ rpId: 'acme.example', allowCredentials: [], userVerification: 'required', timeout: CHALLENGE_SECONDS * 1000 });
    expect(validUntil).toBe(fixture.clock.now() + CHALLENGE_SECONDS * 1000);
    const outcome = await passkeys.finish(authenticator.assert(request), {}, { via: 'passkey-test' });
    expect(outcome).toMatchObject({ ok: true, userId: user, device: { id: device.id, signCount: 2 }, userVerified: true });
    expect(await fixture.database.knex(PASSKEY_CEREMONY_TABLE).where('challenge', request.challenge)).toEqual([]);
    expect(verified).toEqual([expect.objectContaining({ userId: user, deviceId: device.persistentId, via: 'passkey-test' })]);
    expect(await fixture.stateOf(otp, device)).toMatchObject({ signCount: 2, userVerified: true, lastUsedAt: fixture.clock.now() });
    expect(device.purpose).toBe('both');
  });

  it('second-factor passkey cannot sign in alone: PasskeySignIn refuses it, and it still verifies as a second factor', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const authenticator = new SoftAuthenticator();
    const device = await registerCredential(otp, user, authenticator, {}, 'second-factor');
    expect(device.purpose).toBe('second-factor');
    const passkeys = new PasskeySignIn(otp);
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', async () => passkeys.finish(authenticator.assert((await passkeys.start()).request)));
    expect((await otp.verify(user, device.persistentId, await freshAssertion(otp, device, authenticator))).ok).toBe(true);
  });

  it('login-only passkey is not silently a second factor: verify and match refuse it, PasskeySignIn signs in with it', async () => {
    const otp = fixture.otp();
    const user = fixture.newUser();
    const authenticator = new SoftAuthenticator();
    const device = await registerCredential(otp, user, authenticator, {}, 'login');
    const assertion = await freshAssertion(otp, device, authenticator);
    await fixture.refusedWithoutChange(otp, device, 'no_device', () => otp.verify(user, device.persistentId, assertion));
    expect((await otp.match(user, await freshAssertion(otp, device, authenticator))).ok).toBe(false);
    expect(await otp.userHasDevice(user)).toBe(false);
    const passkeys = new PasskeySignIn(otp);
    expect(await passkeys.finish(authenticator.assert((await passkeys.start()).request))).toMatchObject({ ok: true, userId: user, device: { id: device.id } });
  });

  it('unknown credential: invalid_token', async () => {
    const { otp, device, passkeys } = await withPasskey();
    const stranger = new SoftAuthenticator();
    stranger.createCredential('acme.example', randomBytes(32).toString('base64url'));
    const { request } = await passkeys.start();
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => passkeys.finish(stranger.assert(request)));
  });

  it('ceremony single use: a second finish of the same ceremony is refused', async () => {
    const { otp, user, authenticator, device, passkeys } = await withPasskey();
    const { request } = await passkeys.start();
    const assertion = authenticator.assert(request);
    expect(await passkeys.finish(assertion)).toMatchObject({ ok: true, userId: user });
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => passkeys.finish(assertion));
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => passkeys.finish(authenticator.assert(request)));
  });

  it('expired ceremony: refused at challengeSeconds, finished just before', async () => {
    const { otp, user, authenticator, device, passkeys } = await withPasskey();
    const inTime = await passkeys.start();
    fixture.clock.advanceSeconds(CHALLENGE_SECONDS - 1);
    expect(await passkeys.finish(authenticator.assert(inTime.request))).toMatchObject({ ok: true, userId: user });
    const late = await passkeys.start();
    fixture.clock.advanceSeconds(CHALLENGE_SECONDS);
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => passkeys.finish(authenticator.assert(late.request)));
  });

  it('ceremony bound to session A: refused with session B and with none, finished with A', async () => {
    const { otp, user, authenticator, device, passkeys } = await withPasskey();
    const { request } = await passkeys.start({ session: 'session-A' });
    const assertion = authenticator.assert(request);
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => passkeys.finish(assertion, { session: 'session-B' }));
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => passkeys.finish(assertion));
    expect(await passkeys.finish(assertion, { session: 'session-A' })).toMatchObject({ ok: true, userId: user });
  });

  it('assertion without user verification: refused, passkey sign-in requires it whatever the plugin option', async () => {
    for (const userVerification of ['preferred', 'discouraged'] as const) {
      const otp = fixture.otp({ userVerification });
      const authenticator = new SoftAuthenticator();
      const device = await registerCredential(otp, fixture.newUser(), authenticator);
      const passkeys = new PasskeySignIn(otp);
      const { request } = await passkeys.start();
      await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => passkeys.finish(authenticator.assert(request, { userVerification: false })));
    }
  });

  it('wrong origin or rpID: refused', async () => {
    const { otp, authenticator, device, passkeys } = await withPasskey();
    for (const lie of [...FOREIGN_ORIGINS.map((origin) => ({ origin })), ...FOREIGN_RP_IDS.map((rpID) => ({ rpID }))]) {
      const { request } = await passkeys.start();
      await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => passkeys.finish(authenticator.assert(request, lie)));
    }
  });

  it("crossed ceremonies: a second-factor challenge does not finish a sign-in, a sign-in's challenge does not verify a device", async () => {
    const { otp, user, authenticator, device, passkeys } = await withPasskey();
    const secondFactor = await requestOptions(otp, device);
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => passkeys.finish(authenticator.assert(secondFactor)));
    const { request } = await passkeys.start();
    await fixture.refusedWithoutChange(otp, device, 'invalid_token', () => otp.verify(user, device.persistentId, authenticator.assert({ ...request, allowCredentials: secondFactor.allowCredentials })));
  });

  /**
   * With `attackerKey` holding a credential under the victim's credential id on the attacker's
   * account: signing as the victim (the victim's user handle) is refused, the attacker reaches
   * only their own account, and the victim still signs in as the victim.
   */
  async function expectSquatterContained(squat: Awaited<ReturnType<typeof withPasskey>>, attacker: string, attackerKey: SoftAuthenticator) {
    const { otp, user: victim, authenticator: victimKey, device: victimDevice, passkeys } = squat;
    const claimingVictim = attackerKey.assert((await passkeys.start()).request);
    expect(claimingVictim.id).toBe(victimDevice.credentialId);
    const asVictim = { ...claimingVictim, response: { ...claimingVictim.response, userHandle: victimDevice.userHandle } };
    await fixture.refusedWithoutChange(otp, victimDevice, 'invalid_token', () => passkeys.finish(asVictim));
    expect(await passkeys.finish(attackerKey.assert((await passkeys.start()).request))).toMatchObject({ ok: true, userId: attacker });
    expect(await passkeys.finish(victimKey.assert((await passkeys.start()).request))).toMatchObject({ ok: true, userId: victim, device: { id: victimDevice.id } });
  }

  it("credential-id squatting by import: another user's credential under the victim's id neither signs the attacker in as the victim nor locks the victim out", async () => {
    const squat = await withPasskey();
    const attacker = fixture.newUser();
    const attackerKey = new SoftAuthenticator({ credentialId: squat.device.credentialId! });
    const attackerHandle = randomBytes(32).toString('base64url');
    const { id, publicKey } = attackerKey.createCredential('acme.example', attackerHandle);
    await squat.otp.createDevice('webauthn', attacker, { confirmed: true, credential: { id, publicKey, userHandle: attackerHandle } });
    await expectSquatterContained(squat, attacker, attackerKey);
  });

  it("credential-id squatting by registration: an authenticator registering the victim's credential id neither signs the attacker in as the victim nor locks the victim out", async () => {
    const squat = await withPasskey();
    const attacker = fixture.newUser();
    const attackerKey = new SoftAuthenticator({ credentialId: squat.device.credentialId! });
    await registerCredential(squat.otp, attacker, attackerKey);
    await expectSquatterContained(squat, attacker, attackerKey);
  });

  it("credential-id case squatting: an id differing from the victim's only in letter case (one id under MariaDB's collation) neither signs the attacker in as the victim nor locks the victim out", async () => {
    const { otp, user: victim, authenticator: victimKey, device: victimDevice, passkeys } = await withPasskey();
    const attacker = fixture.newUser();
    // Every letter's case swapped but the last character's, whose spare bits would not survive decoding.
    const id = victimDevice.credentialId!;
    const flipped = [...id.slice(0, -1)].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('') + id.slice(-1);
    const attackerKey = new SoftAuthenticator({ credentialId: flipped });
    expect((await registerCredential(otp, attacker, attackerKey)).credentialId).toBe(flipped);
    const claimingVictim = attackerKey.assert((await passkeys.start()).request);
    const asVictim = { ...claimingVictim, response: { ...claimingVictim.response, userHandle: victimDevice.userHandle! } };
    await fixture.refusedWithoutChange(otp, victimDevice, 'invalid_token', () => passkeys.finish(asVictim));
    expect(await passkeys.finish(attackerKey.assert((await passkeys.start()).request))).toMatchObject({ ok: true, userId: attacker });
    expect(await passkeys.finish(victimKey.assert((await passkeys.start()).request))).toMatchObject({ ok: true, userId: victim, device: { id: victimDevice.id } });
  });

  it('20 concurrent finishes of one assertion: exactly one success', async () => {
    const { user, authenticator, device, passkeys, otp } = await withPasskey();
    const { request } = await passkeys.start();
    const assertion = authenticator.assert(request);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => passkeys.finish(assertion)));
    expect(outcomes.filter((outcome) => outcome.ok)).toEqual([expect.objectContaining({ userId: user })]);
    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual(Array(19).fill({ ok: false, reason: 'invalid_token' }));
    expect((await fixture.reload(otp, device)).signCount).toBe(2);
  });

  it('a sign-in for a plugin type the instance does not have is a ConfigurationError naming the fix', () => {
    expect(() => new PasskeySignIn(fixture.otp(), { type: 'security-key' })).toThrow(ConfigurationError);
    expect(() => new PasskeySignIn(fixture.otp(), { type: 'security-key' })).toThrow(/add webauthn\(\{ … \}\) to createOtp's devices/);
    expect(() => new PasskeySignIn(fixture.otp(), { allowUsers: () => true } as never)).toThrow(/allowUsers.*allowUser/);
  });

  it('disabled account: its passkey is refused like any failure, before the assertion is checked or reported', async () => {
    const { otp, user, authenticator, device, verified } = await withPasskey();
    const disabled = new Set([user]);
    const passkeys = new PasskeySignIn(otp, { allowUser: (userId) => !disabled.has(userId) });
    const before = await fixture.stateOf(otp, device);
    const refused = await passkeys.finish(authenticator.assert((await passkeys.start()).request));
    expect(refused).toEqual({ ok: false, reason: 'invalid_token' });
    expect(verified).toEqual([]);
    expect(await fixture.stateOf(otp, device)).toEqual(before);
    disabled.clear();
    expect(await passkeys.finish(authenticator.assert((await passkeys.start()).request))).toMatchObject({ ok: true, userId: user });
  });
});
