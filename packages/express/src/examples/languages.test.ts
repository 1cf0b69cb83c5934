import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Otp } from '@otpkit/core';
import { HttpClient } from '../test-support/http-client.js';
import { serveApp, type TestServer } from '../test-support/test-server.js';
import { languagesApp, languagesOtp } from './languages.js';

describe('docs/languages.md example', () => {
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  let otp: Otp;
  let server: TestServer;
  beforeAll(async () => {
    otp = languagesOtp(knex);
    await otp.migrate();
    server = await serveApp(languagesApp(otp, 'languages-example-session-secret'));
  });
  afterAll(async () => {
    await server?.close();
    await knex.destroy();
  });

  const ask = async (path: string, acceptLanguage?: string) => {
    const client = new HttpClient(server.url);
    if (acceptLanguage !== undefined) client.headers['accept-language'] = acceptLanguage;
    return client.getJson(path);
  };

  it('answers the JSON API in the language the browser asks for, with the app’s wording and its added locale', async () => {
    expect(otp.messages.locales).toEqual(['en', 'fr', 'de']);
    expect((await ask('/api/2fa/devices')).body.error).toEqual({ code: 'unauthenticated', message: 'Log in first' });
    expect((await ask('/api/2fa/devices', 'fr-FR,fr;q=0.9')).body.error.message).toBe('Connectez-vous d’abord à votre compte Acme');
    expect((await ask('/api/2fa/devices', 'de-CH, en;q=0.5')).body.error.message).toBe('Bitte melden Sie sich zuerst an');
    expect((await ask('/api/2fa/nothing-here', 'fr')).body.error.message).toBe('Introuvable');
  });

  it('lets the user’s own choice win over Accept-Language, and falls back to it for a locale the catalog lacks', async () => {
    expect((await ask('/missing?lang=de', 'fr')).body).toEqual({ locale: 'de', message: 'Nicht gefunden' });
    expect((await ask('/missing?lang=FR-ca', 'de')).body).toEqual({ locale: 'fr', message: 'Introuvable' });
    expect((await ask('/missing?lang=ja', 'de')).body).toEqual({ locale: 'de', message: 'Nicht gefunden' });
    expect((await ask('/missing', 'ja')).body).toEqual({ locale: 'en', message: 'Not found' });
  });

  it('renders the login page with the locale in <html lang>', async () => {
    const client = new HttpClient(server.url);
    client.headers['accept-language'] = 'de';
    expect(await (await client.request('/account/login')).text()).toMatch(/^<!doctype html>\n<html lang="de">/);
  });
});
