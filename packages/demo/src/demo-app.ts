import express, { type Request, type Response } from 'express';
import session from 'express-session';
import type { Knex } from 'knex';
import { createOtp, groupForDisplay, OtpError, type Clock, type Device, type SecretKeys } from '@otpkit/core';
import { email, type EmailDevice } from '@otpkit/email';
import { otpLoginRouter, otpMiddleware, otpRequired, twoFactorApi } from '@otpkit/express';
import { staticTokens, type StaticDevice } from '@otpkit/static';
import { totp, type TOTPDevice } from '@otpkit/totp';
import { csrfToken, requireCsrf } from './csrf.js';
import { Outbox } from './outbox.js';
import { UserStore } from './users.js';
import { layout } from './views/layout.js';
import type { Html } from './views/html.js';
import { backupCodesPage, devicesPage, emailSetupPage, homePage, outboxPage, registerPage, secretPage, totpSetupPage } from './views/pages.js';

/** What the demo app is built from. */
export interface DemoOptions {
  readonly knex: Knex;
  /** Signs the session cookie. */
  readonly sessionSecret: string;
  /** Seals device secrets at rest. */
  readonly secretKeys: SecretKeys;
  /** An SMTP URL to send mail through; without one, mail goes to the /outbox page. */
  readonly smtpUrl?: string | undefined;
  /** @default Date.now */
  readonly clock?: Clock;
}

const REGISTRATION_ERRORS = {
  username: 'A username is 3 to 32 letters, digits, dots, dashes or underscores.',
  email: 'That does not look like an email address.',
  password: 'A password needs at least 8 characters.',
  taken: 'That username is taken.',
} as const;

const guard = otpRequired({ loginUrl: '/account/login', ifConfigured: true });

/** Builds the demo: users with scrypt passwords, otpkit's login views, device pages, a guarded page. */
export async function createDemoApp(options: DemoOptions) {
  const clock = options.clock ?? Date.now;
  const outbox = options.smtpUrl ? null : new Outbox(clock);
  const users = new UserStore(options.knex);
  const otp = createOtp({
    knex: options.knex,
    devices: [
      totp({ issuer: 'otpkit demo' }),
      staticTokens(),
      email({ transport: options.smtpUrl ?? outbox!.transporter, from: 'otpkit demo <demo@otpkit.invalid>' }),
    ],
    secretKeys: options.secretKeys,
    clock,
  });
  await users.createTable();
  await otp.migrate();

  const app = express();
  app.disable('x-powered-by');
  app.use(session({ secret: options.sessionSecret, resave: false, saveUninitialized: false, cookie: { httpOnly: true, sameSite: 'lax' } }));
  app.use(otpMiddleware(otp));
  app.use('/account', otpLoginRouter(otp, { authenticate: (username, password) => users.authenticate(username, password), defaultNext: '/devices' }));
  app.use('/api/2fa', twoFactorApi(otp));
  app.use(express.urlencoded({ extended: false, limit: '8kb' }));

  const page = async (req: Request, res: Response, title: string, body: Html, status = 200) => {
    const user = req.otp.userId === null ? null : await users.findById(String(req.otp.userId));
    const visitor = { username: user?.username ?? null, verified: req.otp.isVerified(), csrfToken: csrfToken(req.session), outbox: outbox !== null };
    res.status(status).type('html').send(layout(title, visitor, body));
  };
  const signedIn = (req: Request, res: Response): req is Request & { otp: { userId: string } } => {
    if (req.otp.isAuthenticated()) return true;
    res.redirect(303, `/account/login?next=${encodeURIComponent(req.originalUrl)}`);
    return false;
  };
  const reason = (error: unknown) => (error instanceof OtpError ? error.message : 'Something went wrong.');

  app.get('/favicon.ico', (_req, res) => void res.status(204).end());
  app.get('/', (req, res) => page(req, res, 'Home', homePage(req.otp.isAuthenticated())));

  app.get('/register', (req, res) => page(req, res, 'Register', registerPage(csrfToken(req.session), null)));
  app.post('/register', requireCsrf, async (req, res) => {
    const { username = '', email: address = '', password = '' } = req.body as Record<string, string>;
    const user = await users.register(String(username).trim(), String(address).trim(), String(password));
    if (typeof user === 'string') {
      return page(req, res, 'Register', registerPage(csrfToken(req.session), REGISTRATION_ERRORS[user], { username, email: address }), 400);
    }
    await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
    req.session.userId = user.id;
    res.redirect(303, '/devices');
  });
  app.post('/logout', requireCsrf, (req, res) => {
    req.session.destroy(() => res.redirect(303, '/'));
  });

  app.get('/devices', guard, async (req, res) => {
    const devices = await otp.devicesForUser(req.otp.userId!);
    const rows = devices.map((device) => ({
      persistentId: device.persistentId,
      type: (device.constructor as typeof Device).deviceType,
      name: device.name,
      confirmed: device.confirmed,
      lastUsedAt: device.lastUsedAt,
    }));
    const notice = typeof req.query.notice === 'string' ? req.query.notice.slice(0, 100) : null;
    await page(req, res, 'Devices', devicesPage(csrfToken(req.session), rows, notice));
  });
  app.post('/devices/remove', guard, requireCsrf, async (req, res) => {
    const removed = await otp.removeDevice(req.otp.userId!, req.body.device);
    res.redirect(303, `/devices?notice=${encodeURIComponent(removed ? 'Device removed.' : 'No such device.')}`);
  });

  const totpSetup = async (req: Request, res: Response, device: TOTPDevice, error: string | null) => {
    const setup = { persistentId: device.persistentId, qrDataUrl: await device.qrCode('png'), key: groupForDisplay(device.revealKey()), uri: await device.keyUri() };
    await page(req, res, 'Authenticator app', totpSetupPage(csrfToken(req.session), setup, error), error === null ? 200 : 400);
  };
  app.post('/devices/totp', guard, requireCsrf, async (req, res) => {
    const device = await otp.createDevice<TOTPDevice>('totp', req.otp.userId!, { name: 'Authenticator app' });
    res.redirect(303, `/devices/totp/${device.id}`);
  });
  app.get('/devices/totp/:id', guard, async (req, res) => {
    const device = await otp.deviceFromPersistentId<TOTPDevice>(`totp/${req.params.id}`);
    if (device === null || device.userId !== String(req.otp.userId) || device.confirmed) return res.redirect(303, '/devices');
    await totpSetup(req, res, device, null);
  });

  app.post('/devices/backup-codes', guard, requireCsrf, async (req, res) => {
    const existing = (await otp.devicesForUser(req.otp.userId!)).find((device) => device instanceof otp.model('static'));
    const device = (existing as StaticDevice | undefined) ?? (await otp.createDevice<StaticDevice>('static', req.otp.userId!, { confirmed: true }));
    await page(req, res, 'Backup codes', backupCodesPage(await device.regenerateTokens()));
  });

  app.get('/devices/email', guard, async (req, res) => {
    if (!signedIn(req, res)) return;
    const user = await users.findById(req.otp.userId);
    await page(req, res, 'Email device', emailSetupPage(csrfToken(req.session), { address: user?.email ?? '', persistentId: null, message: null }, null));
  });
  app.post('/devices/email', guard, requireCsrf, async (req, res) => {
    const address = String(req.body.email ?? '').trim();
    try {
      const device = await otp.createDevice<EmailDevice>('email', req.otp.userId!, { name: `Email ${address}`.slice(0, 64), email: address });
      const sent = await otp.generateChallenge(req.otp.userId!, device.persistentId);
      const message = sent.ok ? sent.message : 'Could not send a code yet; try again in a minute.';
      await page(req, res, 'Email device', emailSetupPage(csrfToken(req.session), { address, persistentId: device.persistentId, message }, null));
    } catch (error) {
      await page(req, res, 'Email device', emailSetupPage(csrfToken(req.session), { address, persistentId: null, message: null }, reason(error)), 400);
    }
  });

  app.post('/devices/confirm', guard, requireCsrf, async (req, res) => {
    const device = await otp.deviceFromPersistentId(req.body.device);
    if (device === null || device.userId !== String(req.otp.userId)) return res.redirect(303, '/devices');
    const outcome = await otp.confirmDevice(req.otp.userId!, device.persistentId, req.body.token);
    if (outcome.ok) {
      const confirmed = await otp.deviceFromPersistentId(device.persistentId);
      if (!req.otp.isVerified() && confirmed !== null) await req.otp.login(confirmed);
      return res.redirect(303, `/devices?notice=${encodeURIComponent(`${device.name} is ready.`)}`);
    }
    const error = outcome.reason === 'throttled' ? 'Too many attempts; wait a little and try again.' : 'That code is not right; try again.';
    if (device.persistentId.startsWith('totp/')) return totpSetup(req, res, device as TOTPDevice, error);
    const state = { address: (device as EmailDevice).email ?? '', persistentId: device.persistentId, message: 'We sent you a code.' };
    await page(req, res, 'Email device', emailSetupPage(csrfToken(req.session), state, error), 400);
  });

  app.get('/secret', guard, async (req, res) => {
    if (!signedIn(req, res)) return;
    const user = await users.findById(req.otp.userId);
    await page(req, res, 'Secret page', secretPage(user?.username ?? '', req.otp.device?.name ?? null));
  });

  if (outbox !== null) app.get('/outbox', (req, res) => page(req, res, 'Outbox', outboxPage(outbox.messages)));
  return { app, otp, outbox };
}
