/**
 * JSON messages, mails and text messages in the asker's language: a client asking for French
 * gets the JSON API's errors in French (codes unchanged), and the codes, links and notices sent on
 * its behalf are French; an English client gets the English wording; templates the application
 * configured are used in every language.
 */
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUILT_IN_CATALOGS, type MessageKey, type Otp } from '@otpkit/core';
import { email } from '@otpkit/email';
import { tokenRequired, twoFactorApi } from '@otpkit/express';
import { createSignIn, type SignIn } from '@otpkit/signin';
import { sms } from '@otpkit/sms';
import { createTokenSessions, generateSigningKey } from '@otpkit/tokens';
import { totp } from '@otpkit/totp';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { readMail } from '../../packages/email/src/test-support/read-mail.js';
import { startSmtpSink, type SmtpSink } from '../../packages/email/src/test-support/smtp-sink.js';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import { serveApp, type TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable } from '../../packages/express/src/test-support/users.js';
import { RecordingSmsProvider } from '../express/support/recording-sms.js';

const fr = (key: MessageKey, params: Record<string, string | number> = {}) =>
  String(BUILT_IN_CATALOGS.fr![key]).replace(/\{(\w+)\}/g, (placeholder, name: string) => String(params[name] ?? placeholder));
const en = (key: MessageKey, params: Record<string, string | number> = {}) =>
  String(BUILT_IN_CATALOGS.en![key]).replace(/\{(\w+)\}/g, (placeholder, name: string) => String(params[name] ?? placeholder));

describeOnBackends('JSON messages, mails and text messages in French', (fixture) => {
  let otp: Otp;
  let smtp: SmtpSink;
  let texts: RecordingSmsProvider;
  let signIn: SignIn;
  let server: TestServer;
  let tokenApi: TestServer;
  let users = 0;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    texts = new RecordingSmsProvider();
    otp = fixture.otp({ devices: [totp({ issuer: 'otpkit-test' }), email({ transport: smtp.url, from: 'otpkit <no-reply@otpkit.test>' }), sms({ provider: texts })] });
    await otp.migrate();
    const { knex } = fixture.database;
    await createUsersTable(knex);
    signIn = createSignIn(otp, {
      envelopeMs: 0,
      linkUrl: (token) => `http://127.0.0.1/api/2fa/signin/link/${token}`,
      register: async (address) => addUser(knex, `registered-${(address as { phone: string }).phone}`, 'unused'),
    });
    await signIn.migrate();
    const help = twoFactorApi(otp, { rescue: { mode: 'help', notifyAdmins: () => {} } });
    server = await startOtpApp(otp, knex, (app) => void app.use('/help', help), {}, { signIn, rescue: { mode: 'email' } });
    const sessions = createTokenSessions(otp, { issuer: 'https://auth.example.test', audience: 'https://api.example.test', signingKeys: [generateSigningKey('EdDSA', 'k1')] });
    const bare = express();
    bare.get('/me', tokenRequired(sessions), (_req, res) => void res.json({}));
    tokenApi = await serveApp(bare);
  });
  afterAll(async () => {
    await server?.close();
    await tokenApi?.close();
    await smtp?.close();
  });

  /** A new user, and an API client logged in as them (password only) that asks for `language`. */
  async function userClient(language: string | null): Promise<{ userId: number; client: ApiClient }> {
    users += 1;
    const userId = await addUser(fixture.database.knex, `speaker-${users}`, 'pw');
    const client = await ApiClient.loggedIn(server.url, userId);
    if (language !== null) client.http.headers['accept-language'] = language;
    return { userId, client };
  }

  /** An anonymous API client asking for `language`. */
  function anonymous(language: string): ApiClient {
    const client = new ApiClient(server.url);
    client.http.headers['accept-language'] = language;
    return client;
  }

  it('answers JSON errors with their stable code and the message in the request’s language', async () => {
    const french = anonymous('fr-FR, fr;q=0.9');
    const refused = await french.get('/devices');
    expect([refused.status, refused.body.error]).toEqual([401, { code: 'unauthenticated', message: fr('error.unauthenticated') }]);
    expect((await french.get('/nowhere')).body.error).toEqual({ code: 'not_found', message: fr('error.not_found') });
    const badJson = await french.send('POST', '/validate', undefined, { body: '{"token":', headers: { 'content-type': 'application/json' } });
    expect([badJson.status, badJson.body.error]).toEqual([400, { code: 'malformed_json', message: fr('error.malformed_json') }]);
    const notJson = await french.send('POST', '/validate', undefined, { body: 'token=1', headers: { 'content-type': 'text/plain' } });
    expect(notJson.body.error).toEqual({ code: 'unsupported_media_type', message: fr('error.unsupported_media_type') });

    const { userId, client } = await userClient('fr');
    await otp.createDevice('totp', userId, { confirmed: true });
    const malformed = await client.post('/validate', { token: 'code ?!' });
    expect([malformed.status, malformed.body.error]).toEqual([400, { code: 'malformed_token', message: fr('error.malformed_token') }]);
    const unknown = await client.post('/challenge', { device: 'totp/999999' });
    expect(unknown.body.error).toEqual({ code: 'device_not_found', message: fr('error.device_not_found') });
    const guarded = await client.http.getJson('/protected');
    expect([guarded.status, guarded.body.error]).toEqual([403, { code: 'verification_required', message: fr('error.verification_required') }]);

    const english = await (await userClient(null)).client.http.getJson('/protected');
    expect(english.body.error).toEqual({ code: 'verification_required', message: 'Verify with a second factor first' });
  });

  it('answers tokenRequired’s refusals in the request’s language without otpMiddleware; the WWW-Authenticate text stays ASCII', async () => {
    const response = await fetch(`${tokenApi.url}/me`, { headers: { 'accept-language': 'fr', authorization: 'Bearer a.b' } });
    expect(await response.json()).toEqual({ error: { code: 'token_invalid', message: fr('error.token_invalid'), reason: 'invalid' } });
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token", error_description="The access token is not valid"');
    const missing = await fetch(`${tokenApi.url}/me`, { headers: { 'accept-language': 'de, en;q=0.5' } });
    expect(((await missing.json()) as { error: unknown }).error).toEqual({ code: 'token_required', message: en('error.token_required') });
  });

  it('mails and texts the codes a French client asks for in French, and says so in French', async () => {
    const { userId, client } = await userClient('fr-CA');
    const inbox = `speaker-${users}@otpkit.test`;
    const enrolled = await client.post('/devices/email', { email: inbox });
    expect([enrolled.status, enrolled.body.message]).toEqual([201, fr('email.sent')]);
    const code = smtp.lastTokenTo(inbox);
    expect(readMail(smtp.lastTo(inbox))).toEqual({
      subject: fr('email.code.subject'),
      text: fr('email.code.text', { token: code, validMinutes: 5 }),
      html: fr('email.code.html', { token: code, validMinutes: 5 }),
    });
    expect((await client.post(`/devices/${enrolled.body.device.id}/confirm`, { token: code })).status).toBe(200);

    const phone = await otp.createDevice('sms', userId, { number: '+14155550142', confirmed: true });
    const texted = await client.post('/challenge', { device: phone.persistentId });
    expect([texted.status, texted.body.message]).toEqual([200, fr('sms.sent')]);
    expect(texts.sent.at(-1)).toEqual({ to: '+14155550142', text: fr('sms.code.text', { token: texts.lastCodeTo('+14155550142') }) });

    fixture.clock.advanceSeconds(120);
    const english = await (await ApiClient.loggedIn(server.url, userId)).post('/challenge', { device: enrolled.body.device.id });
    expect(english.body.message).toBe('sent by email');
    expect(readMail(smtp.lastTo(inbox)).text).toBe(`Your verification code is ${smtp.lastTokenTo(inbox)}. It expires in 5 minutes.`);
  });

  it('uses the templates the application configured in every language, the catalog for the others', async () => {
    const branded: Otp = fixture.otp({ devices: [email({ transport: smtp.url, from: 'Acme <no-reply@acme.example>', subject: 'Acme: {token}', html: null })] });
    const userId = `branded-${users}`;
    const device = await branded.createDevice('email', userId, { email: 'branded@acme.example', confirmed: true });
    expect(await branded.generateChallenge(userId, device.persistentId, { locale: 'fr' })).toMatchObject({ ok: true, message: fr('email.sent') });
    const code = smtp.lastTokenTo('branded@acme.example');
    expect(readMail(smtp.lastTo('branded@acme.example'))).toEqual({ subject: `Acme: ${code}`, text: fr('email.code.text', { token: code, validMinutes: 5 }) });
  });

  it('sends passwordless sign-in codes, registration codes and magic links in the asker’s language', async () => {
    const french = anonymous('fr');
    users += 1;
    const address = `linker-${users}@otpkit.test`;
    await otp.createDevice('email', `linker-${users}`, { email: address, confirmed: true, purpose: 'login' });
    expect((await french.post('/signin/start', { email: address })).status).toBe(202);
    await signIn.idle();
    const code = smtp.lastTokenTo(address);
    expect(readMail(smtp.lastTo(address))).toMatchObject({ subject: fr('email.code.subject'), text: fr('email.code.text', { token: code, validMinutes: 5 }) });

    expect((await french.post('/signin/link', { email: address })).status).toBe(202);
    await signIn.idle();
    const link = readMail(smtp.lastTo(address));
    const url = /http:\/\/127\.0\.0\.1\/api\/2fa\/signin\/link\/[A-Za-z0-9_-]{43}/.exec(link.text)![0];
    expect(link).toEqual({ subject: fr('signin.link.subject'), text: fr('signin.link.text', { link: url, validMinutes: 15 }), html: fr('signin.link.html', { link: url, validMinutes: 15 }) });

    const newcomer = `+1415555${String(1000 + users).padStart(4, '0')}`;
    expect((await french.post('/signin/start', { phone: newcomer })).status).toBe(202);
    await signIn.idle();
    expect(texts.sent.at(-1)).toEqual({ to: newcomer, text: fr('sms.code.text', { token: texts.lastCodeTo(newcomer) }) });
  });

  it('sends the rescue code and the notice after a rescue in French, and answers a help request in French', async () => {
    const { userId, client } = await userClient('fr');
    const inbox = `rescued-${users}@otpkit.test`;
    await otp.createDevice('email', userId, { email: inbox, confirmed: true });
    const started = await client.post('/rescue');
    expect([started.status, started.body.message]).toEqual([202, fr('email.sent')]);
    expect(readMail(smtp.lastTo(inbox)).subject).toBe(fr('email.code.subject'));
    expect((await client.post('/rescue/verify', { token: smtp.lastTokenTo(inbox) })).status).toBe(200);
    expect(readMail(smtp.lastTo(inbox))).toMatchObject({ subject: fr('rescue.notice.subject'), text: fr('rescue.notice.text') });

    const helped = await client.http.request('/help/rescue', { json: {}, headers: { accept: 'application/json' } });
    expect([helped.status, (await helped.json()) as unknown]).toEqual([202, { mode: 'help', message: fr('rescue.helpSent') }]);
  });
});
