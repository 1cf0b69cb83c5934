import express, { type Request, type Response } from 'express';
import session, { type Store } from 'express-session';
import helmet from 'helmet';
import type { Knex } from 'knex';
import nodemailer from 'nodemailer';
import { createOtp, describeRefusal, groupForDisplay, OtpError, type Clock, type SecretKeys, type VerifyRefusalReason } from '@otpkit/core';
import { accountNotices, email, type EmailDevice } from '@otpkit/email';
import { ceremonyBinding, otpAdminRouter, otpLoginRouter, otpMiddleware, otpRequired, twoFactorApi } from '@otpkit/express';
import { staticTokens } from '@otpkit/static';
import { totp, type TOTPDevice } from '@otpkit/totp';
import { PasskeySignIn, webauthn } from '@otpkit/webauthn';
import { csrfToken, requireCsrf, rotateCsrf } from './csrf.js';
import { demoErrorHandler } from './error-handler.js';
import { Outbox } from './outbox.js';
import { UserStore } from './users.js';
import { layout, STYLE_SOURCE } from './views/layout.js';
import type { Html } from './views/html.js';
import { backupCodesPage, devicesPage, emailSetupPage, homePage, outboxPage, passkeySetupPage, registerPage, secretPage, totpSetupPage } from './views/pages.js';

/** What the demo app is built from. */
export interface DemoOptions {
  readonly knex: Knex;
  /** Signs the session cookie. */
  readonly sessionSecret: string;
  /** Seals device secrets at rest. */
  readonly secretKeys: SecretKeys;
  /** An SMTP URL to send mail through; without one, mail goes to the /outbox page. */
  readonly smtpUrl?: string | undefined;
  /** Where sessions live (see openSessionStore). @default express-session's MemoryStore */
  readonly sessionStore?: Store | undefined;
  /** @default Date.now */
  readonly clock?: Clock;
  /**
   * The origin browsers see the demo at, which passkeys are bound to (its host is the WebAuthn
   * rpID). @default 'http://localhost:3000'
   */
  readonly origin?: string;
  /**
   * Usernames that may use the admin pages at /admin/2fa (after verifying with a second factor).
   * @default []
   */
  readonly admins?: readonly string[];
}

const FROM = 'otpkit demo <demo@otpkit.invalid>';

const REGISTRATION_ERRORS = {
  username: 'A username is 3 to 32 letters, digits, dots, dashes or underscores.',
  email: 'Give one email address, such as name@example.com.',
  password: 'A password needs at least 8 characters.',
  taken: 'That username is taken.',
  emailTaken: 'That email address belongs to another account.',
} as const;

/** What the enrolment pages say when confirming a device is refused, by reason; `{s}` is the wait in seconds. */
const CONFIRM_ERRORS: Readonly<Record<VerifyRefusalReason, string>> = {
  invalid_token: 'That code is not right; try again.',
  malformed_token: 'That is not a code: type the digits you were shown or sent.',
  no_device: 'This enrolment has expired; start again.',
  throttled: 'Too many attempts; try again in {s} second(s).',
  suspected_clone: 'This security key may have been copied, so it was refused.',
};

const guard = otpRequired({ loginUrl: '/account/login', ifConfigured: true });

/** otpkit's WebAuthn browser script, as the login views at /account serve it. */
const WEBAUTHN_SCRIPT = '/account/assets/webauthn.js';

/** How the devices page names a device's authenticator: its model from the plugin's details, and whether it is a passkey. */
function authenticatorOf(details: Readonly<Record<string, unknown>>): string | null {
  if (!('passkey' in details)) return null;
  const model = typeof details.authenticator === 'string' ? details.authenticator : 'Unknown model';
  return details.passkey === true ? `${model} (passkey)` : `${model} (security key)`;
}

/**
 * helmet's headers with a strict policy: nothing loads but the page's own style (by hash) and
 * data: images (the QR code); forms post to this origin only; no page may be framed.
 */
const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      styleSrc: [STYLE_SOURCE],
      imgSrc: ['data:'],
      // The passkey pages load otpkit's WebAuthn script from this origin; nothing inline.
      scriptSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
});

/** Builds the demo: users with scrypt passwords, otpkit's login views, device pages, a guarded page. */
export async function createDemoApp(options: DemoOptions) {
  const clock = options.clock ?? Date.now;
  const outbox = options.smtpUrl ? null : new Outbox(clock);
  const mailer = outbox?.transporter ?? nodemailer.createTransport(options.smtpUrl!);
  const users = new UserStore(options.knex);
  const origin = options.origin ?? 'http://localhost:3000';
  const otp = createOtp({
    knex: options.knex,
    devices: [
      totp({ issuer: 'otpkit demo' }),
      staticTokens(),
      email({ transport: mailer, from: FROM }),
      webauthn({ rpName: 'otpkit demo', rpID: new URL(origin).hostname, origins: origin }),
    ],
    secretKeys: options.secretKeys,
    clock,
    // Every event in otp_audit_event: the admin pages show a user's, with the administrator who acted.
    audit: true,
  });
  // Every notice, to the account's address, at most 10 a day per user (that address was never
  // confirmed, so it may be anyone's): whichever page, API or command changed the account.
  const notices = accountNotices(otp);
  await users.createTable();
  await otp.migrate();
  await notices.migrate();

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  // Sessions are saved only once something is put in them: at login or registration.
  app.use(session({ secret: options.sessionSecret, store: options.sessionStore, resave: false, saveUninitialized: false, cookie: { httpOnly: true, sameSite: 'lax' } }));
  app.use(
    otpMiddleware(otp, {
      // Everyone must have a second factor: an authenticator app, a security key or a passkey (an
      // email code is not enough), with a week to set one up, counted from the first sign-in.
      policy: { require: () => 'required', graceDays: 7, satisfiedBy: ['totp', 'webauthn'] },
    }),
  );
  const logIn = (req: Request, userId: string) => {
    rotateCsrf(req);
    req.session.userId = userId;
  };
  const passkeySignIn = new PasskeySignIn(otp);
  app.use('/account', otpLoginRouter(otp, { authenticate: (username, password) => users.authenticate(username, password), logIn, defaultNext: '/devices', passkeySignIn }));
  app.use('/api/2fa', twoFactorApi(otp));
  const admins = new Set(options.admins ?? []);
  app.use(
    '/admin/2fa',
    otpAdminRouter(otp, {
      authorize: async (req) => {
        const user = req.otp.userId === null ? null : await users.findById(req.otp.userId);
        return user !== null && admins.has(user.username) ? user.username : null;
      },
      verifyUrl: '/account/verify',
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '8kb' }));

  const page = async (req: Request, res: Response, title: string, body: Html, status = 200, scripts: readonly string[] = []) => {
    const user = req.otp.userId === null ? null : await users.findById(String(req.otp.userId));
    // Signed-in pages may show codes, secrets or mail: no cache keeps them.
    if (user !== null) res.set('Cache-Control', 'no-store');
    const visitor = { username: user?.username ?? null, verified: req.otp.isVerified(), csrfToken: user === null ? null : csrfToken(req, res), outbox: outbox !== null };
    res.status(status).type('html').send(layout(title, visitor, body, scripts));
  };
  const signedIn = (req: Request, res: Response): req is Request & { otp: { userId: string } } => {
    if (req.otp.isAuthenticated()) return true;
    res.redirect(303, `/account/login?next=${encodeURIComponent(req.originalUrl)}`);
    return false;
  };
  /** Changing the account's factors needs a token typed recently, except for the first device. */
  const recentlyVerified = async (req: Request, res: Response): Promise<boolean> => {
    if (req.otp.isRecentlyVerified() || !(await otp.userHasDevice(req.otp.userId!))) return true;
    res.redirect(303, `/account/verify?next=${encodeURIComponent('/devices')}`);
    return false;
  };
  /** Who asks, for the events of the demo's own pages. */
  const meta = (req: Request) => ({ ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null, via: 'demo' });
  const reason = (error: unknown) => (error instanceof OtpError ? error.message : 'Something went wrong.');

  app.get('/favicon.ico', (_req, res) => void res.status(204).end());
  app.get('/', (req, res) => page(req, res, 'Home', homePage(req.otp.isAuthenticated())));

  app.get('/register', (req, res) => page(req, res, 'Register', registerPage(csrfToken(req, res), null)));
  app.post('/register', requireCsrf, async (req, res) => {
    const { username = '', email: address = '', password = '' } = req.body as Record<string, string>;
    const user = await users.register(String(username).trim(), String(address).trim(), String(password));
    if (typeof user === 'string') {
      return page(req, res, 'Register', registerPage(csrfToken(req, res), REGISTRATION_ERRORS[user], { username, email: address }), 400);
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
      type: device.deviceType,
      name: device.name,
      confirmed: device.confirmed,
      lastUsedAt: device.lastUsedAt,
      authenticator: authenticatorOf(device.details()),
    }));
    const notice = typeof req.query.notice === 'string' ? req.query.notice.slice(0, 100) : null;
    await page(req, res, 'Devices', devicesPage(csrfToken(req, res), rows, notice));
  });
  app.post('/devices/remove', guard, requireCsrf, async (req, res) => {
    if (!(await recentlyVerified(req, res))) return;
    const removed = await otp.removeDevice(req.otp.userId!, req.body.device, meta(req));
    res.redirect(303, `/devices?notice=${encodeURIComponent(removed ? 'Device removed.' : 'No such device.')}`);
  });

  const totpSetup = async (req: Request, res: Response, device: TOTPDevice, error: string | null) => {
    const setup = { persistentId: device.persistentId, qrDataUrl: await device.qrCode('png'), key: groupForDisplay(device.revealKey()), uri: await device.keyUri() };
    await page(req, res, 'Authenticator app', totpSetupPage(csrfToken(req, res), setup, error), error === null ? 200 : 400);
  };
  app.post('/devices/totp', guard, requireCsrf, async (req, res) => {
    if (!(await recentlyVerified(req, res))) return;
    // Enrolling removes the user's abandoned, unconfirmed authenticator apps, so one stays pending.
    const enrolled = await otp.enroll('totp', req.otp.userId!, { name: 'Authenticator app' }, meta(req));
    if (!enrolled.ok) throw new Error(`unreachable: an authenticator app sends nothing (${enrolled.reason})`);
    const { device } = enrolled;
    // Only this session may see the key: another session of the user (a password-only one, say)
    // could otherwise copy the key of an enrolment in progress, which the user then confirms.
    req.session.demoPendingTotp = device.persistentId;
    res.redirect(303, `/devices/totp/${device.id}`);
  });
  app.get('/devices/totp/:id', guard, async (req, res) => {
    if (!(await recentlyVerified(req, res))) return;
    const device = await otp.deviceFromPersistentId<TOTPDevice>(`totp/${req.params.id}`);
    if (device === null || device.userId !== String(req.otp.userId) || device.confirmed || req.session.demoPendingTotp !== device.persistentId) {
      return res.redirect(303, '/devices');
    }
    await totpSetup(req, res, device, null);
  });

  app.post('/devices/backup-codes', guard, requireCsrf, async (req, res) => {
    if (!(await recentlyVerified(req, res))) return;
    // One backup-code device per user: enrolling again replaces its codes.
    const enrolled = await otp.enroll('static', req.otp.userId!, {}, meta(req));
    if (!enrolled.ok) throw new Error(`unreachable: backup codes send nothing (${enrolled.reason})`);
    await page(req, res, 'Backup codes', backupCodesPage(enrolled.display.codes));
  });

  app.get('/devices/email', guard, async (req, res) => {
    if (!signedIn(req, res)) return;
    const user = await users.findById(req.otp.userId);
    await page(req, res, 'Email device', emailSetupPage(csrfToken(req, res), { address: user?.email ?? '', persistentId: null, message: null }, null));
  });
  app.post('/devices/email', guard, requireCsrf, async (req, res) => {
    if (!(await recentlyVerified(req, res))) return;
    const address = String(req.body.email ?? '').trim();
    try {
      // Enrolling sends the first code; a refused send (a daily limit) leaves no device behind.
      const enrolled = await otp.enroll('email', req.otp.userId!, { name: `Email ${address}`.slice(0, 64), email: address }, meta(req));
      if (!enrolled.ok) {
        const refused = 'Could not send a code now; try again later.';
        return await page(req, res, 'Email device', emailSetupPage(csrfToken(req, res), { address, persistentId: null, message: null }, refused), 429);
      }
      const state = { address, persistentId: enrolled.device.persistentId, message: enrolled.display.message };
      await page(req, res, 'Email device', emailSetupPage(csrfToken(req, res), state, null));
    } catch (error) {
      await page(req, res, 'Email device', emailSetupPage(csrfToken(req, res), { address, persistentId: null, message: null }, reason(error)), 400);
    }
  });

  const passkeySetup = (req: Request, res: Response, setup: { persistentId: string; publicKey: object }, error: string | null) =>
    page(req, res, 'Add a passkey', passkeySetupPage(csrfToken(req, res), setup, error), error === null ? 200 : 400, [WEBAUTHN_SCRIPT]);
  app.post('/devices/passkey', guard, requireCsrf, async (req, res) => {
    if (!(await recentlyVerified(req, res))) return;
    // The registration is bound to this session: only it can finish the ceremony.
    const enrolled = await otp.enroll('webauthn', req.otp.userId!, { name: 'Passkey', session: ceremonyBinding(req) }, meta(req));
    if (!enrolled.ok) throw new Error(`unreachable: a passkey registration sends nothing (${enrolled.reason})`);
    await passkeySetup(req, res, { persistentId: enrolled.device.persistentId, publicKey: enrolled.display.publicKey }, null);
  });
  app.post('/devices/passkey/confirm', guard, requireCsrf, async (req, res) => {
    if (!(await recentlyVerified(req, res))) return;
    const userId = req.otp.userId!;
    const device = await otp.deviceFromPersistentId(req.body.device);
    if (device === null || device.userId !== String(userId) || device.deviceType !== 'webauthn' || device.confirmed) return res.redirect(303, '/devices');
    const first = !(await otp.userHasDevice(userId));
    const outcome = await otp.confirmDevice(userId, device.persistentId, { credential: req.body.credential, session: ceremonyBinding(req) }, meta(req));
    if (!outcome.ok) return res.redirect(303, `/devices?notice=${encodeURIComponent('The passkey was not registered; try again.')}`);
    if (first) await req.otp.login(outcome.device);
    res.redirect(303, `/devices?notice=${encodeURIComponent('Your passkey is ready.')}`);
  });

  app.post('/devices/confirm', guard, requireCsrf, async (req, res) => {
    if (!(await recentlyVerified(req, res))) return;
    const userId = req.otp.userId!;
    const device = await otp.deviceFromPersistentId(req.body.device);
    if (device === null || device.userId !== String(userId)) return res.redirect(303, '/devices');
    // Only a first device verifies the session: with another one, the user already proved it.
    const first = !(await otp.userHasDevice(userId));
    const outcome = await otp.confirmDevice(userId, device.persistentId, req.body.token, meta(req));
    if (outcome.ok) {
      const confirmed = await otp.deviceFromPersistentId(device.persistentId);
      if (first && confirmed !== null) await req.otp.login(confirmed);
      return res.redirect(303, `/devices?notice=${encodeURIComponent(`${device.name} is ready.`)}`);
    }
    const { reason, retryAfter } = describeRefusal(outcome, clock());
    const error = CONFIRM_ERRORS[reason].replace('{s}', String(retryAfter));
    if (device.deviceType === 'totp') {
      if (req.session.demoPendingTotp !== device.persistentId) return res.redirect(303, '/devices');
      return totpSetup(req, res, device as TOTPDevice, error);
    }
    const state = { address: (device as EmailDevice).email ?? '', persistentId: device.persistentId, message: 'We sent you a code.' };
    await page(req, res, 'Email device', emailSetupPage(csrfToken(req, res), state, error), 400);
  });

  app.get('/secret', guard, async (req, res) => {
    if (!signedIn(req, res)) return;
    const user = await users.findById(req.otp.userId);
    await page(req, res, 'Secret page', secretPage(user?.username ?? '', req.otp.device?.name ?? null));
  });

  if (outbox !== null) {
    // Not behind the guard: the outbox stands in for the user's inbox, which may hold the login code.
    app.get('/outbox', async (req, res) => {
      if (!signedIn(req, res)) return;
      const user = await users.findById(req.otp.userId);
      const devices = await otp.devicesForUser(req.otp.userId, { confirmed: true });
      const addresses = devices.filter((device) => device instanceof otp.model('email')).map((device) => (device as EmailDevice).email ?? '');
      await page(req, res, 'Outbox', outboxPage(outbox.messagesTo([user?.email ?? '', ...addresses].filter((address) => address !== ''))));
    });
  }
  app.use(demoErrorHandler());
  return { app, otp, outbox };
}
