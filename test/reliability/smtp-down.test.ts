/**
 * The mail server is down when an email challenge is sent: the caller gets a `DeliveryError`, the
 * device keeps no token it never delivered and is charged no cooldown, and once the server is back
 * the next challenge goes out at once and its token verifies. Over HTTP the API answers 502.
 */
import { createOtp, DeliveryError, type Otp, type SideChannelDevice } from '@otpkit/core';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../packages/email/src/test-support/smtp-sink.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import { buildPlugins } from './support/plugins.mjs';

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);

for (const backend of testBackends()) {
  describe(`the SMTP server down on ${backend.name}`, () => {
    let database: TestDatabase;
    let otp: Otp;
    let port: number;
    let sink: SmtpSink | undefined;

    const stored = async (persistentId: string) => (await otp.deviceFromPersistentId<SideChannelDevice>(persistentId))!;
    const expectNothingPending = async (persistentId: string) => {
      const device = await stored(persistentId);
      expect(device.validUntil).toBeNull();
      expect(device.lastGeneratedAt).toBeNull();
      expect(device.generateIsAllowed(NOW)).toEqual({ allowed: true });
    };

    beforeAll(async () => {
      const probe = await startSmtpSink();
      port = probe.port;
      await probe.close(); // nothing listens on the port any more
      database = await backend.createDatabase({ poolSize: 4 });
      otp = createOtp({
        knex: database.knex,
        devices: buildPlugins({ types: ['email'], throttleFactor: 1, mailUrl: `smtp://127.0.0.1:${port}` }),
        clock: () => NOW,
        logger: { warn: () => {} },
      });
      await otp.migrate();
    });
    afterAll(async () => {
      await sink?.close();
      await database?.destroy();
    });

    it('answers POST /challenge with a 502 delivery_failed and keeps no undelivered token', async () => {
      const device = await otp.createDevice('email', 'http-user', { confirmed: true, email: `http-${backend.name}@example.test` });
      const app = await startOtpApp(otp, database.knex, () => {}, { logger: { warn: () => {} } });
      try {
        const client = new HttpClient(app.url);
        expect((await client.sendJson('/test/login', { userId: 'http-user' })).status).toBe(200);
        const answer = await client.sendJson('/api/2fa/challenge', { device: device.persistentId });
        expect(answer.status).toBe(502);
        expect(answer.body).toMatchObject({ error: { code: 'delivery_failed' } });
      } finally {
        await app.close();
      }
      await expectNothingPending(device.persistentId);
    });

    it('throws a DeliveryError, keeps no undelivered token, charges no cooldown, and works once the server is back', async () => {
      const address = `down-${backend.name}@example.test`;
      const device = await otp.createDevice('email', 'mail-user', { confirmed: true, email: address });

      const failure = await otp.generateChallenge('mail-user', device.persistentId).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(DeliveryError);
      expect(failure).toMatchObject({ code: 'ERR_OTP_DELIVERY' });
      expect((failure as Error).message).not.toContain(address);

      await expectNothingPending(device.persistentId);

      sink = await startSmtpSink(port);
      const sent = await otp.generateChallenge('mail-user', device.persistentId);
      expect(sent.ok).toBe(true);
      const token = sink.lastTokenTo(address);
      expect((await otp.verifyToken('mail-user', device.persistentId, token))?.persistentId).toBe(device.persistentId);
    });
  });
}
