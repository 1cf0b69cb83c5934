import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import type { WebAuthnDevice } from '@otpkit/webauthn';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestOptions } from '../test-support/enrol-credential.js';
import { SoftAuthenticator } from '../test-support/soft-authenticator.js';
import { createPasskeyOtp, importCredential, passkeySignIn, webauthnFlow, type Browser } from './webauthn-flow.js';

process.env.OTP_KEY_1 ??= 'a'.repeat(64);

/** A browser on https://acme.example whose authenticator is `authenticator`. */
const browserWith = (authenticator: SoftAuthenticator): Browser => ({
  create: async (publicKey) => authenticator.register(publicKey),
  get: async (publicKey) => authenticator.assert(publicKey as PublicKeyCredentialRequestOptionsJSON),
});

for (const backend of testBackends()) {
  describe(`docs/webauthn.md example on ${backend.name}`, () => {
    let database: TestDatabase;
    let otp: Awaited<ReturnType<typeof createPasskeyOtp>>;
    const alerts: string[] = [];

    beforeAll(async () => {
      database = await backend.createDatabase({ poolSize: 2 });
      await database.knex.schema.createTable('users', (t) => {
        t.string('id', 36).primary();
        t.string('username', 150);
        t.string('email', 254);
      });
      await database.knex('users').insert(['alice', 'bob', 'carol', 'dave'].map((name) => ({ id: `${name}-id`, username: name, email: `${name}@example.com` })));
      otp = await createPasskeyOtp(database.knex, (line) => alerts.push(line));
    });
    afterAll(async () => {
      await database?.destroy();
    });
    const deviceOf = async (persistentId: string) => (await otp.deviceFromPersistentId<WebAuthnDevice>(persistentId))!;

    it('registers a passkey through enrol and confirm, then verifies an assertion as a second factor', async () => {
      const authenticator = new SoftAuthenticator();
      const { persistentId, confirmed, verified } = await webauthnFlow(otp, 'alice-id', 'alice-session-binding', browserWith(authenticator));
      expect(confirmed).toMatchObject({ ok: true, device: { persistentId, confirmed: true } });
      expect(verified).toMatchObject({ ok: true, device: { persistentId } });
      const device = await deviceOf(persistentId);
      expect(device).toMatchObject({ name: 'Phone', signCount: 2, discoverable: true, challenge: null });
      expect(device.details()).toEqual({ authenticator: 'YubiKey 5 Series', passkey: true, backedUp: false });
    });

    it('replayed assertion: refused, the challenge it answered is spent', async () => {
      const authenticator = new SoftAuthenticator();
      const { persistentId } = await webauthnFlow(otp, 'bob-id', 'bob-binding', browserWith(authenticator));
      const assertion = authenticator.assert(await requestOptions(otp, await deviceOf(persistentId), 'bob-binding'));
      expect(await otp.verify('bob-id', persistentId, { credential: assertion, session: 'bob-binding' })).toMatchObject({ ok: true });
      expect(await otp.verify('bob-id', persistentId, { credential: assertion, session: 'bob-binding' })).toMatchObject({ ok: false, reason: 'invalid_token' });
    });

    it("assertion finished from another session: refused, and the right session's answer still verifies", async () => {
      const authenticator = new SoftAuthenticator();
      const { persistentId } = await webauthnFlow(otp, 'bob-id', 'bob-binding', browserWith(authenticator));
      const assertion = authenticator.assert(await requestOptions(otp, await deviceOf(persistentId), 'bob-binding'));
      expect(await otp.verify('bob-id', persistentId, { credential: assertion, session: 'attacker-binding' })).toMatchObject({ ok: false, reason: 'invalid_token' });
      expect(await otp.verify('bob-id', persistentId, { credential: assertion, session: 'bob-binding' })).toMatchObject({ ok: true });
    });

    it('cloned authenticator (its signature counter goes back): refused as suspected_clone and reported to the cloneSuspected hook', async () => {
      const authenticator = new SoftAuthenticator();
      const { persistentId } = await webauthnFlow(otp, 'carol-id', 'carol-binding', browserWith(authenticator));
      const copy = authenticator.assert(await requestOptions(otp, await deviceOf(persistentId), 'carol-binding'), { counter: 1 });
      expect(await otp.verify('carol-id', persistentId, { credential: copy, session: 'carol-binding' })).toEqual({ ok: false, reason: 'suspected_clone' });
      expect(alerts).toEqual([`user carol-id: ${persistentId} may be a copy (from an unknown address)`]);
      expect((await deviceOf(persistentId)).signCount).toBe(2);
    });

    it('imports a credential registered elsewhere, confirmed, and it verifies an assertion through matchToken', async () => {
      const authenticator = new SoftAuthenticator({ residentKey: false });
      const device = await importCredential(otp, 'dave-id', authenticator.createCredential('acme.example', Buffer.from('dave-handle').toString('base64url')));
      expect(device).toMatchObject({ confirmed: true, name: 'Security key', transports: ['usb'], discoverable: false, signCount: 1 });
      const assertion = authenticator.assert(await requestOptions(otp, device));
      expect((await otp.matchToken('dave-id', assertion))?.persistentId).toBe(device.persistentId);
    });

    it('signs in with a passkey and no username: the user it belongs to', async () => {
      const authenticator = new SoftAuthenticator();
      await webauthnFlow(otp, 'alice-id', 'alice-binding', browserWith(authenticator));
      expect(await passkeySignIn(otp, 'login-binding', browserWith(authenticator))).toBe('alice-id');
    });

    it('passkey sign-in by an authenticator that did not verify the user (no PIN, no biometrics): refused', async () => {
      const authenticator = new SoftAuthenticator();
      await webauthnFlow(otp, 'alice-id', 'alice-binding', browserWith(authenticator));
      const presenceOnly: Browser = { ...browserWith(authenticator), get: async (publicKey) => authenticator.assert(publicKey as PublicKeyCredentialRequestOptionsJSON, { userVerification: false }) };
      expect(await passkeySignIn(otp, 'login-binding', presenceOnly)).toBeNull();
    });
  });
}
