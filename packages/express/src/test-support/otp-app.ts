import express from 'express';
import type { Knex } from 'knex';
import type { Otp } from '@otpkit/core';
import { otpLoginRouter, otpMiddleware, otpRequired, twoFactorApi, type OtpMiddlewareOptions, type TwoFactorApiOptions } from '../index.js';
import { regenerateSession } from '../internal/session.js';
import { passwordAuthenticator } from './users.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * A test app: otpMiddleware, the login views at /account (two steps) and /one (one page), the JSON
 * API at /api/2fa (with `api`'s options), /protected behind otpRequired, /step-up behind otpRequired with maxAge 300, and POST /test/login to log a user in by id.
 */
export async function startOtpApp(
  otp: Otp,
  knex: Knex,
  configure: (app: express.Express) => void = () => {},
  middleware: OtpMiddlewareOptions = {},
  api: TwoFactorApiOptions = {},
): Promise<TestServer> {
  const authenticate = passwordAuthenticator(knex);
  const server = await startTestServer((app) => {
    app.use(
      otpMiddleware(otp, {
        rememberDevice: {},
        ...middleware,
      }),
    );
    app.use('/account', otpLoginRouter(otp, { authenticate }));
    app.use('/one', otpLoginRouter(otp, { authenticate, onePage: true }));
    app.get('/protected', otpRequired({ loginUrl: '/account/login' }), (req, res) => {
      res.type('html').send(`<!doctype html><title>Protected</title><h1>Protected area</h1><p id="who">${req.otp.userId} via ${req.otp.device!.persistentId}</p>`);
    });
    app.get('/step-up', otpRequired({ loginUrl: '/account/login', maxAge: 300 }), (_req, res) => void res.type('html').send('<h1>Fresh enough</h1>'));
    app.use('/api/2fa', twoFactorApi(otp, api));
    app.post('/test/login', express.json(), async (req, res) => {
      await regenerateSession(req);
      req.session.userId = req.body.userId;
      res.json({ ok: true });
    });
    app.get('/whoami', (req, res) => {
      res.json({ userId: req.otp.userId, verified: req.otp.isVerified(), device: req.otp.device?.persistentId ?? null });
    });
    configure(app);
  });
  return server;
}

/** The CSRF token in a page's form. */
export function csrfOf(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (match === null) throw new Error('the page has no CSRF token');
  return match[1]!;
}
