import { randomBytes } from 'node:crypto';
import { describeOnEachBackend, FakeClock } from '@otpkit/core/testing';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../email/src/test-support/smtp-sink.js';
import { ACCOUNT_SID, AUTH_TOKEN, startTwilioServer, type TwilioServer } from '../../sms/src/test-support/twilio-server.js';
import { passwordlessExample } from './examples/passwordless.js';
import { lastLinkTokenTo } from './test-support/link-token.js';

describeOnEachBackend('the passwordless example of docs/passwordless.md', (block) => {
  let smtp: SmtpSink;
  let twilio: TwilioServer;
  beforeAll(async () => {
    [smtp, twilio] = await Promise.all([startSmtpSink(), startTwilioServer()]);
    await block.database.knex.schema.createTable('users', (table) => {
      table.string('id', 36).primary();
      table.string('username', 255).notNullable();
    });
  });
  afterAll(async () => {
    await smtp?.close();
    await twilio?.close();
  });

  it('runs, and answers what its comments say', async () => {
    vi.stubEnv('OTP_KEY_1', randomBytes(32).toString('base64'));
    vi.stubEnv('TWILIO_ACCOUNT_SID', ACCOUNT_SID);
    vi.stubEnv('TWILIO_AUTH_TOKEN', AUTH_TOKEN);
    const clock = new FakeClock();
    // Reading a message takes people ten seconds.
    const inbox = {
      code: async (address: string) => (clock.advanceSeconds(10), address.startsWith('+') ? twilio.lastTokenTo(address) : smtp.lastTokenTo(address)),
      linkToken: async (address: string) => (clock.advanceSeconds(10), lastLinkTokenTo(smtp, address)),
    };
    const result = await passwordlessExample(block.database.knex, { smtpUrl: smtp.url, twilioBaseUrl: twilio.baseUrl }, inbox, clock.now);
    expect(result.started).toEqual({ ok: true, validUntil: expect.any(Number) });
    expect(result.signedIn).toMatchObject({ ok: true, userId: 'ann', method: 'sms', registered: false, device: { purpose: 'login', number: '+14155550100' } });
    expect(result.asked).toEqual({ ok: false, reason: 'confirm_browser' });
    expect(result.confirmed).toMatchObject({ ok: true, userId: 'ann', method: 'link', purpose: 'login' });
    expect(result.again).toEqual({ ok: false, reason: 'invalid_link' });
    expect(result.registered).toMatchObject({ ok: true, method: 'email', registered: true, device: { purpose: 'login', email: 'new@acme.example' } });
    const userId = result.registered.ok ? result.registered.userId : '';
    expect(await block.database.knex('users').where({ id: userId }).first()).toEqual({ id: userId, username: 'new@acme.example' });
  });
});
