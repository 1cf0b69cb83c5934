/**
 * `createOtp({ readKnex })` on a real streaming replica: a private PostgreSQL primary and a
 * `pg_basebackup -R` replica of it, whose replay is paused to make it lag. Verifications read the
 * primary under their locks, so a device removed there is never accepted however far the replica
 * lags; what the lag may do is keep a removed device listed, and a session it verified passing
 * otpMiddleware, until the replica replays the removal; a device the replica has not seen yet is
 * read from the primary, and so is everything while the replica is down.
 */
import { randomBytes } from 'node:crypto';
import type { Otp } from '@otpkit/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { haveTools } from '../support/external-tools.js';
import { PrivatePostgres } from '../support/private-postgres.js';
import { deviceWithToken } from './support/device-tokens.js';
import { replicatedOtp } from './support/replicated-otp.js';

const quiet = { warn: () => {} };

describe.runIf(haveTools('postgres'))('reads off the primary: a streaming replica that lags', () => {
  let primary: PrivatePostgres;
  let replica: PrivatePostgres;
  let otp: Otp;

  beforeAll(async () => {
    primary = await PrivatePostgres.start();
    replica = await primary.basebackup();
    otp = replicatedOtp({ DATABASE_URL: primary.url(), DATABASE_REPLICA_URL: replica.url(), OTP_KEY_1: randomBytes(32).toString('base64') });
    await otp.migrate();
  }, 120_000);
  afterAll(async () => {
    await otp?.readKnex.destroy();
    await otp?.knex.destroy();
    await replica?.destroy();
    await primary?.destroy();
  });
  beforeEach(async () => {
    await replica.resumeReplay();
  });

  it('a device removed on the primary is never accepted for a verification while the replica still has it', async () => {
    const userId = 'removed-while-lagging';
    const { device, token } = await deviceWithToken(otp, 'totp', userId);
    const { token: code } = await deviceWithToken(otp, 'static', userId);
    await replica.catchUp(primary);
    await replica.pauseReplay();
    expect(await otp.removeDevice(userId, device.persistentId)).toBe(true);

    // The lag, as documented: the replica still lists the device and finds it.
    expect((await otp.devicesForUser(userId, { replica: true })).map((d) => d.persistentId)).toContain(device.persistentId);
    expect((await otp.deviceFromPersistentId(device.persistentId, { replica: true }))?.persistentId).toBe(device.persistentId);
    // Everything that decides reads the primary.
    expect(await otp.deviceFromPersistentId(device.persistentId)).toBeNull();
    expect((await otp.devicesForUser(userId)).map((d) => d.persistentId)).not.toContain(device.persistentId);
    expect(await otp.verify(userId, device.persistentId, token)).toEqual({ ok: false, reason: 'no_device' });
    expect(await otp.confirmDevice(userId, device.persistentId, token)).toEqual({ ok: false, reason: 'no_device' });
    const matched = await otp.match(userId, token);
    expect(matched.ok).toBe(false);
    // The user's other device still verifies, on the primary, while the replica is paused.
    expect((await otp.match(userId, code)).ok).toBe(true);

    await replica.resumeReplay();
    await replica.catchUp(primary);
    expect(await otp.deviceFromPersistentId(device.persistentId, { replica: true })).toBeNull();
    expect((await otp.devicesForUser(userId, { replica: true })).map((d) => d.persistentId)).not.toContain(device.persistentId);
  });

  it('a device enrolled and confirmed while the replica lags is found through the primary', async () => {
    const userId = 'enrolled-while-lagging';
    await replica.catchUp(primary);
    await replica.pauseReplay();
    const { device } = await deviceWithToken(otp, 'totp', userId);

    // The listing reads the replica, which has not replayed the new device yet...
    expect(await otp.devicesForUser(userId, { replica: true })).toEqual([]);
    // ...but a lookup by id never misses it: the replica has no such row, so the primary is asked.
    const found = await otp.deviceFromPersistentId(device.persistentId, { replica: true });
    expect(found?.persistentId).toBe(device.persistentId);
    expect(found?.confirmed).toBe(true);
  });

  it('a device confirmed while the replica lags is read confirmed, though the replica still shows it unconfirmed', async () => {
    const userId = 'confirmed-while-lagging';
    const { device, token } = await deviceWithToken(otp, 'totp', userId);
    await otp.knex('otp_totp_device').where('id', device.id).update({ confirmed: false });
    await replica.catchUp(primary);
    await replica.pauseReplay();
    expect((await otp.confirmDevice(userId, device.persistentId, token)).ok).toBe(true);

    expect((await otp.devicesForUser(userId, { replica: true }))[0]?.confirmed).toBe(false);
    expect((await otp.deviceFromPersistentId(device.persistentId, { replica: true }))?.confirmed).toBe(true);
  });

  describe('otpMiddleware on the replica', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startOtpApp(otp, otp.knex, () => {}, { logger: quiet });
    });
    afterAll(async () => {
      await server?.close();
    });

    async function verifiedSession(userId: string) {
      const client = new HttpClient(server.url);
      await client.request('/test/login', { json: { userId } });
      const { device, token } = await deviceWithToken(otp, 'totp', userId);
      const validated = await client.request('/api/2fa/validate', { json: { device: device.persistentId, token } });
      expect(validated.status).toBe(200);
      return { client, device, token };
    }

    const whoami = async (client: HttpClient) => (await (await client.request('/whoami')).json()) as { verified: boolean; device: string | null };

    it('a session verified while the replica lags stays verified (the device is read from the primary)', async () => {
      await replica.catchUp(primary);
      await replica.pauseReplay();
      const { client, device } = await verifiedSession('verified-while-lagging');
      expect(await whoami(client)).toMatchObject({ verified: true, device: device.persistentId });
    });

    it("a removed device's session passes only until the replica replays the removal; its token never verifies again", async () => {
      const userId = 'session-of-removed-device';
      const { client, device, token } = await verifiedSession(userId);
      await replica.catchUp(primary);
      await replica.pauseReplay();
      expect(await otp.removeDevice(userId, device.persistentId)).toBe(true);

      // Bounded by the lag: the middleware's read still finds the device on the replica.
      expect(await whoami(client)).toMatchObject({ verified: true, device: device.persistentId });
      // A verification reads the primary: the removed device is unknown.
      const again = await client.request('/api/2fa/validate', { json: { device: device.persistentId, token } });
      expect(again.status).toBe(404);
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe('device_not_found');

      await replica.resumeReplay();
      await replica.catchUp(primary);
      expect(await whoami(client)).toMatchObject({ verified: false, device: null });
    });

    it('a replica that cannot be reached is skipped for the primary: sessions stay verified and listings work', async () => {
      const userId = 'replica-down';
      const { client, device } = await verifiedSession(userId);
      await replica.stopServer();
      try {
        expect(await whoami(client)).toMatchObject({ verified: true, device: device.persistentId });
        expect((await otp.devicesForUser(userId, { replica: true })).map((d) => d.persistentId)).toEqual([device.persistentId]);
        const listed = await client.request('/api/2fa/devices');
        expect(listed.status).toBe(200);
      } finally {
        await replica.startServer();
      }
      expect(await whoami(client)).toMatchObject({ verified: true, device: device.persistentId });
    });
  });
});
