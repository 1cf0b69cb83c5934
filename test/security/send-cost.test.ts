import { afterAll, beforeAll, expect, it } from 'vitest';
import { DeliveryError, type Otp } from '@otpkit/core';
import { email } from '@otpkit/email';
import { sms, TwilioProvider } from '@otpkit/sms';
import { startSmtpSink, type SmtpSink } from '../../packages/email/src/test-support/smtp-sink.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { OpenApiChecker } from '../../packages/express/src/test-support/openapi-checker.js';
import { csrfOf, startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable } from '../../packages/express/src/test-support/users.js';
import { ACCOUNT_SID, AUTH_TOKEN, INVALID_NUMBER, startTwilioServer, type TwilioServer } from '../../packages/sms/src/test-support/twilio-server.js';
import { describeOnBackends } from './support/backends.js';

const DAY = 86_400_000;
const FROM = 'otpkit <otp@otpkit.test>';

/** The email and SMS plugins, sending through `smtpUrl` and the Twilio API at `twilioUrl`. */
function plugins(smtpUrl: string, twilioUrl: string) {
  const provider = new TwilioProvider({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15005550006', baseUrl: twilioUrl });
  return [email({ transport: smtpUrl, from: FROM }), sms({ provider })];
}

// A password-only session could make otpkit send one SMS or mail per device every 60 s, all day.
describeOnBackends('daily send limits', { devices: plugins('smtp://127.0.0.1:9', 'http://127.0.0.1:9') }, (fixture) => {
  let smtp: SmtpSink;
  let twilio: TwilioServer;
  let otp: Otp;
  let server: TestServer;
  let users = 0;
  const checker = new OpenApiChecker();

  beforeAll(async () => {
    smtp = await startSmtpSink();
    twilio = await startTwilioServer();
    otp = fixture.otp({ devices: plugins(smtp.url, twilio.baseUrl) });
    await createUsersTable(fixture.database.knex);
    server = await startOtpApp(otp, fixture.database.knex);
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
    await twilio?.close();
  });

  /** Asks `device` for a code every 61 s (past its cooldown), `times` times; returns the last outcome. */
  async function sendEvery61s(userId: string | number, persistentId: string, times: number) {
    let outcome;
    for (let sent = 0; sent < times; sent += 1) {
      outcome = await otp.generateChallenge(userId, persistentId);
      fixture.clock.advanceSeconds(61);
    }
    return outcome!;
  }

  it('a password-only session cannot make otpkit text one number more than the daily cap, from any account', async () => {
    const number = '+14155550101';
    const start = fixture.clock.now();
    const phone = await otp.createDevice('sms', 'texted', { confirmed: true, number });
    expect(await sendEvery61s('texted', phone.persistentId, 5)).toMatchObject({ ok: true });
    expect(await otp.generateChallenge('texted', phone.persistentId)).toEqual({ ok: false, reason: 'daily_limit', retryAt: start + DAY });
    // Another account with the same number shares the destination's cap.
    const other = await otp.createDevice('sms', 'same-number', { confirmed: true, number });
    expect(await otp.generateChallenge('same-number', other.persistentId)).toEqual({ ok: false, reason: 'daily_limit', retryAt: start + DAY });
    expect(twilio.messages.filter((message) => message.to === number)).toHaveLength(5);
    // The table holds a keyed digest of the number, never the number.
    const rows = await fixture.database.knex('otp_send_destination').select('destination');
    expect(JSON.stringify(rows)).not.toContain('4155550101');
    fixture.clock.set(start + DAY);
    expect(await otp.generateChallenge('same-number', other.persistentId)).toMatchObject({ ok: true });
  });

  it('a password-only session cannot make otpkit send more than the daily cap per user, across devices', async () => {
    const start = fixture.clock.now();
    const inboxes = [];
    for (const name of ['a', 'b', 'c']) inboxes.push(await otp.createDevice('email', 'mailed', { confirmed: true, email: `${name}@mailed.test` }));
    expect(await sendEvery61s('mailed', inboxes[0]!.persistentId, 4)).toMatchObject({ ok: true });
    expect(await sendEvery61s('mailed', inboxes[1]!.persistentId, 4)).toMatchObject({ ok: true });
    expect(await sendEvery61s('mailed', inboxes[2]!.persistentId, 2)).toMatchObject({ ok: true });
    expect(await otp.generateChallenge('mailed', inboxes[2]!.persistentId)).toEqual({ ok: false, reason: 'daily_limit', retryAt: start + DAY });
    expect(smtp.messages.filter((message) => message.to.some((to) => to.endsWith('@mailed.test')))).toHaveLength(10);
  });

  it('a failed delivery gives its count back', async () => {
    const refused = await otp.createDevice('sms', 'undelivered', { confirmed: true, number: INVALID_NUMBER });
    for (let attempt = 0; attempt < 12; attempt += 1) {
      await expect(otp.generateChallenge('undelivered', refused.persistentId)).rejects.toBeInstanceOf(DeliveryError);
    }
    const working = await otp.createDevice('sms', 'undelivered', { confirmed: true, number: '+14155550102' });
    expect(await otp.generateChallenge('undelivered', working.persistentId)).toMatchObject({ ok: true });
    fixture.clock.advanceSeconds(61);
  });

  it('over the JSON API the daily cap is a 429 with Retry-After and code daily_limit', async () => {
    const userId = await addUser(fixture.database.knex, `api-sender-${(users += 1)}`, 'pw');
    const inbox = await otp.createDevice('email', userId, { confirmed: true, email: 'api@sender.test' });
    const start = fixture.clock.now();
    await sendEvery61s(userId, inbox.persistentId, 5);
    const client = new HttpClient(server.url);
    await client.request('/test/login', { json: { userId } });
    const response = await client.sendJson('/api/2fa/challenge', { device: inbox.persistentId });
    checker.check('POST', '/challenge', response.status, response.headers, response.body);
    const retryAfter = Math.ceil((start + DAY - fixture.clock.now()) / 1000);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe(String(retryAfter));
    expect(response.body.error).toMatchObject({ code: 'daily_limit', retryAfter });
  });

  it('through the token form the daily cap is a 429 that says when to ask again', async () => {
    const username = `form-sender-${(users += 1)}`;
    const userId = await addUser(fixture.database.knex, username, 'pw');
    const phone = await otp.createDevice('sms', userId, { confirmed: true, number: '+14155550103' });
    await sendEvery61s(userId, phone.persistentId, 5);
    const client = new HttpClient(server.url);
    const login = await (await client.request('/account/login')).text();
    await client.request('/account/login', { form: { _csrf: csrfOf(login), username, password: 'pw' } });
    const page = await (await client.request('/account/verify')).text();
    const response = await client.request('/account/verify', { form: { _csrf: csrfOf(page), otp_device: phone.persistentId, otp_challenge: '1' } });
    expect(response.status).toBe(429);
    const text = await response.text();
    expect(text).toContain('data-code="daily_limit"');
    expect(text).toContain('Too many codes were sent today');
    expect(twilio.messages.filter((message) => message.to === '+14155550103')).toHaveLength(5);
  });
});
