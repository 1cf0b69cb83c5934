/**
 * PostgreSQL restarted under load (`pg_ctl … -m fast`, on a private cluster): clients keep posting
 * backup codes to `POST /api/2fa/validate` (and their verified sessions make otpMiddleware read the
 * device on every request) while the server stops and starts again. Every answer during the outage
 * is a fast 503 `storage_unavailable` with `Retry-After`, never a 500; every request sent once the
 * server is back succeeds; each code verifies exactly once, and no row is left half-written. While
 * it is down, pages (otpMiddleware, the login views, the admin pages) are a 503 page too.
 */
import { createOtp, type Otp } from '@otpkit/core';
import { otpAdminRouter } from '@otpkit/express';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { haveTools } from '../support/external-tools.js';
import { PrivatePostgres } from '../support/private-postgres.js';
import { buildPlugins } from './support/plugins.mjs';

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);
const USERS = 20;
const CODES = 15;
/** How many answers come before the server is stopped, and how many 503s the outage must show. */
const BEFORE_STOP = 80;
const OUTAGE_ANSWERS = 40;
const quiet = { warn: () => {} };

/** One answer to one code. */
interface Answer {
  readonly user: string;
  readonly code: string;
  readonly status: number;
  readonly error: string | null;
  readonly retryAfter: string | null;
  readonly sentAt: number;
  readonly tookMs: number;
}

describe.runIf(haveTools('postgres'))('PostgreSQL restarted under load', () => {
  let primary: PrivatePostgres;
  let knex: Knex;
  let otp: Otp;
  let server: TestServer;
  const codes = new Map<string, { device: string; codes: readonly string[] }>();

  beforeAll(async () => {
    primary = await PrivatePostgres.start();
    knex = primary.knex('test', { min: 0, max: 8 });
    otp = createOtp({ knex, devices: buildPlugins({ types: ['static'], throttleFactor: 1 }), clock: () => NOW, logger: quiet });
    await otp.migrate();
    for (let index = 0; index < USERS; index += 1) {
      const user = `restart-${index}`;
      const enrolled = await otp.enroll('static', user, { count: CODES });
      if (!enrolled.ok) throw new Error('backup codes were refused');
      codes.set(user, { device: enrolled.device.persistentId, codes: (enrolled.display as { codes: string[] }).codes });
    }
    server = await startOtpApp(otp, knex, (app) => app.use('/admin', otpAdminRouter(otp, { authorize: (req) => req.otp.userId, requireVerification: false })), { logger: quiet });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await knex?.destroy();
    await primary?.destroy();
  });

  it("while the server is down, pages are a 503 page in the request's language with Retry-After, JSON clients get storage_unavailable, and both work again once it is back", async () => {
    const user = 'pages-while-down';
    const enrolled = await otp.enroll('static', user, { count: 2 });
    if (!enrolled.ok) throw new Error('backup codes were refused');
    const verified = new HttpClient(server.url);
    verified.headers['accept-language'] = 'fr-CH, fr;q=0.9';
    await verified.request('/test/login', { json: { userId: user } });
    const code = (enrolled.display as { codes: string[] }).codes[0]!;
    expect((await verified.request('/api/2fa/validate', { json: { device: enrolled.device.persistentId, token: code } })).status).toBe(200);
    const unverified = new HttpClient(server.url);
    await unverified.request('/test/login', { json: { userId: user } });

    await primary.stopServer();
    try {
      // otpMiddleware's read of the verified session's device.
      const page = await verified.request('/protected', { headers: { accept: 'text/html' } });
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('5');
      const html = await page.text();
      expect(html).toContain('<html lang="fr">');
      expect(html).toContain('Momentanément indisponible');
      expect(html).toContain('<a href="/protected">Réessayer</a>');
      const json = await verified.request('/whoami', { headers: { accept: 'application/json' } });
      expect(json.status).toBe(503);
      expect(json.headers.get('retry-after')).toBe('5');
      expect(await json.json()).toEqual({ error: { code: 'storage_unavailable', message: 'Le stockage des appareils est indisponible' } });
      // The login views' token step lists the user's devices.
      const tokenPage = await unverified.request('/account/verify', { headers: { accept: 'text/html' } });
      expect(tokenPage.status).toBe(503);
      expect(tokenPage.headers.get('retry-after')).toBe('5');
      expect(await tokenPage.text()).toContain('Temporarily unavailable');
      // An administrator's page of a user.
      const adminPage = await unverified.request(`/admin/users/${user}`, { headers: { accept: 'text/html' } });
      expect(adminPage.status).toBe(503);
      expect(adminPage.headers.get('retry-after')).toBe('5');
      expect(await adminPage.text()).toContain(`<a href="/admin/users/${user}">Try again</a>`);
    } finally {
      await primary.startServer();
    }
    expect((await verified.request('/protected', { headers: { accept: 'text/html' } })).status).toBe(200);
    expect((await unverified.request('/account/verify', { headers: { accept: 'text/html' } })).status).toBe(200);
  });

  it('requests fail fast with 503 storage_unavailable and Retry-After during the restart, all succeed after it, each code verifies exactly once', async () => {
    const answers: Answer[] = [];
    let stoppedAt = Infinity;
    let upAt = Infinity;
    let outageAnswers = 0;

    /** One client: logs in, then posts each of its codes, retrying a code after each 503. */
    async function client(user: string): Promise<void> {
      const http = new HttpClient(server.url);
      http.headers.accept = 'application/json';
      expect((await http.request('/test/login', { json: { userId: user } })).status).toBe(200);
      const { device, codes: own } = codes.get(user)!;
      for (const code of own) {
        for (;;) {
          const sentAt = Date.now();
          const response = await http.request('/api/2fa/validate', { json: { device, token: code } });
          const text = await response.text();
          const error = response.headers.get('content-type')?.startsWith('application/json') ? ((JSON.parse(text) as { error?: { code: string } }).error?.code ?? null) : text;
          answers.push({ user, code, status: response.status, error, retryAfter: response.headers.get('retry-after'), sentAt, tookMs: Date.now() - sentAt });
          if (response.status !== 503) break;
          if (sentAt >= stoppedAt) outageAnswers += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }

    /** Stops the server after BEFORE_STOP answers, starts it again once OUTAGE_ANSWERS 503s came. */
    async function restart(): Promise<void> {
      while (answers.length < BEFORE_STOP) await new Promise((resolve) => setTimeout(resolve, 5));
      stoppedAt = Date.now();
      await primary.stopServer();
      while (outageAnswers < OUTAGE_ANSWERS) await new Promise((resolve) => setTimeout(resolve, 5));
      await primary.startServer();
      upAt = Date.now();
    }

    await Promise.all([restart(), ...[...codes.keys()].map(client)]);

    // Never a 500: 200, or 503 storage_unavailable with Retry-After, answered fast (not after a pool's 60 s timeout).
    const unavailable = answers.filter((answer) => answer.status === 503);
    expect(unavailable.length).toBeGreaterThanOrEqual(OUTAGE_ANSWERS);
    for (const answer of unavailable) {
      expect(answer).toMatchObject({ error: 'storage_unavailable', retryAfter: '5' });
      expect(answer.tookMs).toBeLessThan(5000);
      expect(answer.sentAt + answer.tookMs).toBeGreaterThanOrEqual(stoppedAt);
    }
    // A 400 only for a code whose verification committed while its answer was lost to the restart: it is spent.
    const refused = answers.filter((answer) => answer.status !== 200 && answer.status !== 503);
    for (const answer of refused) {
      expect(answer.error).toBe('invalid_token');
      expect(unavailable.some((earlier) => earlier.code === answer.code && earlier.sentAt < answer.sentAt)).toBe(true);
    }
    // Every request sent once the server was back succeeded.
    const after = answers.filter((answer) => answer.sentAt >= upAt);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((answer) => answer.status !== 200 && !refused.includes(answer))).toEqual([]);

    // Exactly once: each code verified at most once, and every code is spent.
    const verified = answers.filter((answer) => answer.status === 200).map((answer) => `${answer.user}:${answer.code}`);
    expect(new Set(verified).size).toBe(verified.length);
    expect(verified.length + refused.length).toBe(USERS * CODES);
    // Nothing half-written: no code left, no failure charged, every device marked used.
    for (const { device } of codes.values()) {
      const current = await otp.deviceFromPersistentId(device);
      expect(await current!.remainingTokens()).toBe(0);
      expect(current).toMatchObject({ throttlingFailureCount: 0, lastUsedAt: NOW });
    }
  });
});
