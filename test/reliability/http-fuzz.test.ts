/**
 * HTTP fuzzing of the JSON two-factor API and the HTML login and token forms, over a real server:
 * malformed bodies, wrong types, strange encodings and charsets, oversized and deeply nested
 * input, from anonymous, authenticated and verified sessions. Never a 5xx, API errors always
 * carry a stable code, the server keeps serving, and the stored state does not change.
 */
import { decodeBase32, createOtp, hotpToken, totpTimeStep, type TypedOtp } from '@otpkit/core';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import type { TOTPDevice } from '@otpkit/totp';
import fc from 'fast-check';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../packages/email/src/test-support/smtp-sink.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf, startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable } from '../../packages/express/src/test-support/users.js';
import { buildPlugins } from './support/plugins.mjs';
import { fuzzRequest, type FuzzRequest } from './support/fuzz-requests.js';

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);
const STATE_TABLES = [
  'users',
  'otp_totp_device',
  'otp_hotp_device',
  'otp_static_device',
  'otp_static_token',
  'otp_email_device',
  'otp_sms_device',
  'otp_user_throttle',
];

/** Every stored row otpkit and the app keep, in a stable order. */
async function snapshot(knex: Knex): Promise<Record<string, unknown[]>> {
  const state: Record<string, unknown[]> = {};
  for (const table of STATE_TABLES) state[table] = await knex(table).select().orderBy(table === 'otp_user_throttle' ? 'user_id' : 'id');
  return state;
}

type Session = 'anonymous' | 'authenticated' | 'verified';

for (const backend of testBackends()) {
  describe(`HTTP fuzzing on ${backend.name}`, () => {
    let database: TestDatabase;
    let otp: TypedOtp<ReturnType<typeof buildPlugins>>;
    let smtp: SmtpSink;
    let server: TestServer;
    let persistentIds: string[];
    const clients = {} as Record<Session, HttpClient>;
    const csrf = {} as Record<Session, string>;

    beforeAll(async () => {
      database = await backend.createDatabase({ poolSize: 4 });
      smtp = await startSmtpSink();
      otp = createOtp({
        knex: database.knex,
        devices: buildPlugins({ throttleFactor: 1, mailUrl: smtp.url }),
        clock: () => NOW,
        logger: { warn: () => {} },
      });
      await otp.migrate();
      await createUsersTable(database.knex);
      const userId = String(await addUser(database.knex, 'alice', 'correct horse battery', 'alice@example.test'));
      const phone = (await otp.createDevice('totp', userId, { confirmed: true })) as TOTPDevice;
      const enrolled = await otp.enroll('static', userId);
      if (!enrolled.ok) throw new Error(`no backup codes: ${enrolled.reason}`);
      const backup = enrolled.device;
      const mail = await otp.createDevice('email', userId, { confirmed: true, email: 'alice@example.test' });
      const text = await otp.createDevice('sms', userId, { confirmed: true, number: '+14155550100' });
      const pending = await otp.createDevice('totp', userId, { confirmed: false });
      persistentIds = [phone, backup, mail, text, pending].map((device) => device.persistentId);
      server = await startOtpApp(otp, database.knex, () => {}, { logger: { warn: () => {} } }, { rescue: { mode: 'email' } });

      for (const session of ['anonymous', 'authenticated', 'verified'] as const) {
        const client = new HttpClient(server.url);
        if (session !== 'anonymous') expect((await client.sendJson('/test/login', { userId })).status).toBe(200);
        if (session === 'verified') {
          const token = hotpToken(decodeBase32(phone.revealKey()), totpTimeStep(NOW, phone.step, phone.t0), phone);
          expect((await client.sendJson('/api/2fa/validate', { token, device: phone.persistentId })).status).toBe(200);
        }
        const page = await client.request(session === 'anonymous' ? '/account/login' : '/account/verify');
        csrf[session] = csrfOf(await page.text());
        clients[session] = client;
      }
    });
    afterAll(async () => {
      await server?.close();
      await smtp?.close();
      await database?.destroy();
    });

    /** Sends with the session's cookie but keeps the session as it is (no cookie is stored). */
    async function send(session: Session, request: FuzzRequest): Promise<Response> {
      const { body, csrf: withCsrf } = request;
      const cookie = [...clients[session].cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      return fetch(new URL(request.path, server.url), {
        method: request.method,
        headers: { ...request.headers, ...(cookie === '' ? {} : { cookie }) },
        body: typeof body === 'string' && withCsrf ? body.replace('__CSRF__', encodeURIComponent(csrf[session])) : body,
        redirect: 'manual',
      });
    }

    it('answers every malformed request with a 4xx (API errors with a stable code) and changes nothing', async () => {
      const before = await snapshot(database.knex);
      const sessions = fc.constantFrom<Session>('anonymous', 'authenticated', 'verified');
      await fc.assert(
        fc.asyncProperty(sessions, fuzzRequest(persistentIds), async (session, request) => {
          const response = await send(session, request);
          const text = await response.text();
          expect(response.status, `${request.method} ${request.path} → ${response.status} ${text.slice(0, 200)}`).toBeLessThan(500);
          // fetch resolves dot segments, so the path that arrived is the URL's.
          if (new URL(request.path, server.url).pathname.startsWith('/api/2fa/') && response.status >= 400) {
            expect(JSON.parse(text)).toMatchObject({ error: { code: expect.stringMatching(/^[a-z_]+$/) } });
          }
        }),
        { numRuns: backend.name === 'sqlite' ? 500 : 200 },
      );
      expect(await snapshot(database.knex)).toEqual(before);
      expect(smtp.messages).toHaveLength(0);
      expect((await clients.verified.getJson('/whoami')).body).toMatchObject({ verified: true });
    });
  });
}
