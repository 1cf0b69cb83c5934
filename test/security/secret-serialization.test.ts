/**
 * 0.1 opened every secret column into a plain property when a device was loaded:
 * `JSON.stringify(await otp.deviceFromPersistentId('totp/1'))` printed the key, and
 * `req.otp.device` carried it on every verified request. Secrets now stay sealed outside the
 * instance; these tests serialize every device type every way, and the JSON API's answers and
 * event payloads, and look for the secret (and its stored, sealed form).
 */
import { inspect } from 'node:util';
import { expect, it } from 'vitest';
import { decodeBase32, hotpToken, totpTimeStep, type Device, type Otp, type TypedOtp } from '@otpkit/core';
import { email } from '@otpkit/email';
import { hotp } from '@otpkit/hotp';
import { sms } from '@otpkit/sms';
import { staticTokens } from '@otpkit/static';
import { totp, type TOTPDevice } from '@otpkit/totp';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import { recordEvents } from '../../packages/core/src/test-support/recorded-events.js';
import { RecordingSmsProvider } from '../express/support/recording-sms.js';
import { describeOnBackends } from './support/backends.js';
import { enrolBackupCodes } from './support/backup-codes.js';

const mails: string[] = [];
const mailer = { sendMail: async (mail: { text: string }) => void mails.push(mail.text) };
const texts = new RecordingSmsProvider();
const devices = [totp(), hotp(), staticTokens(), email({ transport: mailer as never, from: 'otp@example.test' }), sms({ provider: texts })];

/** The newest 6-digit code mailed or texted. */
const lastCode = (messages: readonly string[]) => /\b(\d{6})\b/.exec(messages.at(-1) ?? '')![1]!;

/** Every way a device (or anything holding one) can be turned into text. */
function serializations(value: object): string[] {
  const asRecord = value as Record<string, unknown>;
  const ways = [
    JSON.stringify(value),
    inspect(value, { depth: Infinity, showHidden: true }),
    JSON.stringify({ ...value }),
    inspect({ ...value }, { depth: Infinity, showHidden: true }),
    JSON.stringify(Object.entries(value)),
    JSON.stringify(Object.getOwnPropertyNames(value).map((name) => String(asRecord[name]))),
    String(value),
  ];
  const clone = structuredClone({ ...value });
  ways.push(JSON.stringify(clone), inspect(clone, { depth: Infinity, showHidden: true }));
  return ways;
}

/** Fails when `text` contains a secret: a 6-digit code only counts as a whole number. */
function expectNoSecret(text: string, secrets: readonly string[], where: string): void {
  for (const secret of secrets) {
    const found = /^\d{6}$/.test(secret) ? new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(text) : text.includes(secret);
    expect(found, `${where} shows the secret ${secret.slice(0, 4)}…`).toBe(false);
  }
}

/** The devices of one user, one per type, each with the strings that must never show. */
async function devicesWithSecrets(otp: TypedOtp<typeof devices>, knex: Otp['knex'], userId: string): Promise<{ device: Device; secrets: string[] }[]> {
  const raw = async (table: string, id: number, column: string) => String((await knex(table).where({ id }).first())[column]);
  const oath = async (type: 'totp' | 'hotp') => {
    const device = await otp.createDevice(type, userId, { confirmed: true });
    const base32 = device.revealKey();
    return { device, secrets: [base32, Buffer.from(decodeBase32(base32)).toString('hex'), await raw(`otp_${type}_device`, device.id, 'key')] };
  };
  const { device: backup, codes } = await enrolBackupCodes(otp, userId, 3);
  const digests = (await knex('otp_static_token').where({ device_id: backup.id })).map((row) => String(row.token_hash));
  const inbox = await otp.createDevice('email', userId, { confirmed: true, email: `${userId}@example.test` });
  const mailed = await otp.generateChallenge(userId, inbox.persistentId);
  const phone = await otp.createDevice('sms', userId, { confirmed: true, number: '+14155550100' });
  const texted = await otp.generateChallenge(userId, phone.persistentId);
  if (!mailed.ok || !texted.ok) throw new Error('challenge refused');
  return [
    await oath('totp'),
    await oath('hotp'),
    { device: backup, secrets: [...codes, ...digests] },
    { device: mailed.device, secrets: [lastCode(mails), await raw('otp_email_device', inbox.id, 'token')] },
    { device: texted.device, secrets: [lastCode(texts.sent.map((sent) => sent.text)), await raw('otp_sms_device', phone.id, 'token')] },
  ];
}

for (const secretKeys of [{ '1': 'a'.repeat(64) }, {}]) {
  const label = Object.keys(secretKeys).length === 0 ? 'without secret keys' : 'with secret keys';
  describeOnBackends(`secrets never serialize (${label})`, { devices, secretKeys }, (fixture) => {
    it('serializing any device type any way never shows its secret', async () => {
      const otp = fixture.otp({ devices, secretKeys });
      const made = await devicesWithSecrets(otp, fixture.database.knex, `serialize-${Object.keys(secretKeys).length}`);
      const secrets = made.flatMap(({ secrets: own }) => own);
      const listed = await otp.devicesForUser(made[0]!.device.userId);
      const loaded = await Promise.all(made.map(({ device }) => otp.deviceFromPersistentId(device.persistentId)));
      for (const device of [...made.map(({ device }) => device), ...listed, ...loaded.map((one) => one!)]) {
        for (const text of serializations(device)) expectNoSecret(text, secrets, `${device.persistentId} serialized`);
        expectNoSecret(JSON.stringify(device.toJSON()), secrets, `${device.persistentId}.toJSON()`);
        expectNoSecret(JSON.stringify(device.$toDatabaseJson()), secrets, `${device.persistentId}.$toDatabaseJson()`);
      }
      expectNoSecret(JSON.stringify(listed) + inspect(listed, { depth: Infinity }), secrets, 'the device list');
    });

    it('a verified device, as verify returns it, shows no secret', async () => {
      const otp = fixture.otp({ devices, secretKeys });
      const userId = `verified-${Object.keys(secretKeys).length}`;
      const device = await otp.createDevice('totp', userId, { confirmed: true });
      const key = device.revealKey();
      const token = hotpToken(decodeBase32(key), totpTimeStep(fixture.clock.now(), device.step, device.t0), device);
      const outcome = await otp.verify(userId, device.persistentId, token);
      expect(outcome.ok).toBe(true);
      for (const text of serializations(outcome)) expectNoSecret(text, [key], 'the verify outcome');
    });
  });
}

describeOnBackends('the JSON API, events and audit rows never carry a secret', { devices, secretKeys: { '1': 'b'.repeat(64) } }, (fixture) => {
  it("no answer, event, audit row or req.otp.device of a verified request shows a device's secret", async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ devices, secretKeys: { '1': 'b'.repeat(64) }, events: hooks, audit: true });
    const userId = 'http-secrets';
    const made = await devicesWithSecrets(otp, fixture.database.knex, userId);
    const secrets = made.flatMap(({ secrets: own }) => own);
    const server = await startOtpApp(otp, fixture.database.knex, (app) => {
      app.get('/test/device', (req, res) => {
        res.json({ json: JSON.stringify(req.otp.device), inspected: inspect(req.otp, { depth: 6, showHidden: true }) });
      });
    });
    try {
      const client = new HttpClient(server.url);
      const answers: unknown[] = [];
      const keep = async (answer: Promise<{ status: number; body: unknown }>, expected = 200) => {
        const { status, body } = await answer;
        expect(status).toBe(expected);
        answers.push(body);
      };
      await keep(client.sendJson('/test/login', { userId }));
      await keep(client.getJson('/api/2fa/devices'));
      const [phone] = made.filter(({ device }) => device.deviceType === 'totp');
      const key = decodeBase32((phone!.device as TOTPDevice).revealKey());
      await keep(client.sendJson('/api/2fa/validate', { device: phone!.device.persistentId, token: '000000' }), 400);
      fixture.clock.advanceSeconds(30);
      const token = hotpToken(key, totpTimeStep(fixture.clock.now(), 30, 0), { algorithm: 'sha1', digits: 6 });
      await keep(client.sendJson('/api/2fa/validate', { device: phone!.device.persistentId, token }));
      await keep(client.getJson('/api/2fa/devices'));
      await keep(client.getJson('/test/device'));
      const mailbox = made.find(({ device }) => device.deviceType === 'email')!;
      fixture.clock.advanceSeconds(120);
      await keep(client.sendJson('/api/2fa/challenge', { device: mailbox.device.persistentId }));
      const freshCode = lastCode(mails);
      expectNoSecret(JSON.stringify(answers), [...secrets, freshCode], 'an API answer');
      expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['deviceAdded', 'challengeSent', 'failed', 'verified']));
      expectNoSecret(JSON.stringify(events) + inspect(events, { depth: Infinity }), [...secrets, freshCode], 'an event');
      const rows = await fixture.database.knex('otp_audit_event').where('user_id', userId);
      expect(rows).toHaveLength(events.length);
      expectNoSecret(JSON.stringify(rows), [...secrets, freshCode], 'an audit row');
    } finally {
      await server.close();
    }
  });
});
