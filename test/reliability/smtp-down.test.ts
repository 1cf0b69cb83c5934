/**
 * The mail server is down when an email challenge is sent: the caller gets a `DeliveryError`, the
 * device keeps no token it never delivered and is charged no cooldown, and once the server is back
 * the next challenge goes out at once and its token verifies.
 */
import { createOtp, DeliveryError, type Otp, type SideChannelDevice } from '@otpkit/core';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../packages/email/src/test-support/smtp-sink.js';
import { buildPlugins } from './support/plugins.mjs';

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);

for (const backend of testBackends()) {
  describe(`the SMTP server down on ${backend.name}`, () => {
    let database: TestDatabase;
    let otp: Otp;
    let port: number;
    let sink: SmtpSink | undefined;

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

    it('throws a DeliveryError, keeps no undelivered token, charges no cooldown, and works once the server is back', async () => {
      const address = `down-${backend.name}@example.test`;
      const device = await otp.createDevice<SideChannelDevice>('email', 'mail-user', { confirmed: true, email: address });

      const failure = await otp.generateChallenge('mail-user', device.persistentId).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(DeliveryError);
      expect(failure).toMatchObject({ code: 'ERR_OTP_DELIVERY' });
      expect((failure as Error).message).not.toContain(address);

      const after = (await otp.deviceFromPersistentId<SideChannelDevice>(device.persistentId))!;
      expect(after.token).toBeNull();
      expect(after.validUntil).toBeNull();
      expect(after.lastGeneratedAt).toBeNull();
      expect(after.generateIsAllowed(NOW)).toEqual({ allowed: true });

      sink = await startSmtpSink(port);
      const sent = await otp.generateChallenge('mail-user', device.persistentId);
      expect(sent.ok).toBe(true);
      const token = sink.lastTokenTo(address);
      expect((await otp.verifyToken('mail-user', device.persistentId, token))?.persistentId).toBe(device.persistentId);
    });
  });
}
