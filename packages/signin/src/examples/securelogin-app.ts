import express, { type ErrorRequestHandler, type Request } from 'express';
import { z } from 'zod';
import { createOtp, StorageError, ValidationError, type Clock, type Otp } from '@otpkit/core';
import { httpErrors, tokenRequired, type HttpErrorCode } from '@otpkit/express';
import { createSignIn } from '@otpkit/signin';
import { normalizePhoneNumber, sms, TwilioProvider, type TwilioProviderOptions } from '@otpkit/sms';
import { createTokenSessions, type SigningKey } from '@otpkit/tokens';
import type { Knex } from 'knex';

/** What the app needs from its host. */
export interface SecureLoginAppOptions {
  readonly knex: Knex;
  /** Twilio's account, sender and `baseUrl` (`https://api.twilio.com` unless you point it elsewhere). */
  readonly twilio: TwilioProviderOptions;
  /** The key that signs access tokens: `generateSigningKey('EdDSA', '2026-01')` once, kept with your secrets. */
  readonly signingKey: SigningKey;
  /** The time source (epoch ms). @default Date.now */
  readonly clock?: Clock;
}

/**
 * flask-securelogin's REST API (`/api/auth/register`, `/login`, `/verify_sms`, `/refresh`, `/logout`,
 * `/logout_all_other_sessions`, `/op`) on otpkit: passwordless sign-in by SMS where the phone
 * number is the user id, and token sessions. Answers the same JSON, status 200, as its README.
 */
export async function secureLoginApp({ knex, twilio, signingKey, clock }: SecureLoginAppOptions) {
  // #region setup
  const otp = createOtp({
    knex,
    clock,
    devices: [sms({ provider: new TwilioProvider(twilio), text: 'Your mysite code: {token}', validitySeconds: 600 })],
    users: { table: 'securelogin_user', idColumn: 'phone', usernameColumn: 'username', emailColumn: null },
    secretKeys: { '1': process.env.OTP_KEY_1 },
  });
  // Registration on: a code sent to a new phone that comes back creates the user (only `sms` is served, so the address is `{ phone }`).
  const signIn = createSignIn(otp, { register: async (address) => registerUser(knex, (address as { phone: string }).phone, otp.clock()) });
  const sessions = createTokenSessions(otp, {
    issuer: 'https://mysite.example',
    audience: 'https://mysite.example/api',
    signingKeys: [signingKey],
    refreshTokenSeconds: 60 * 86_400, // 60 days; access tokens last 10 minutes (the default), as in flask-securelogin
  });
  await otp.migrate();
  await signIn.migrate();
  await sessions.migrate();
  await migrateUsers(knex);
  // #endregion

  // #region sign-in
  const app = express();
  app.use(express.json({ limit: '4kb' }));
  const auth = express.Router();
  app.use('/api/auth', auth);
  const client = (req: Request) => ({ ip: req.ip, userAgent: req.get('user-agent') });

  /** Texts a code to `phone`: a sign-in code, or a registration code to a new phone; the same answer either way. @returns the user id */
  async function textCode(req: Request, phone: string): Promise<string> {
    const userid = normalizePhoneNumber(phone); // E.164
    if (userid === null) throw new Refusal('invalid_request');
    const started = await signIn.start({ phone: userid }, client(req));
    if (!started.ok) throw new Refusal('throttled', started.retryAt);
    return userid;
  }

  auth.post('/register', async (req, res) => {
    const { username, phone } = bodyOf(registerBody, req);
    const userid = await textCode(req, phone);
    await offerUsername(knex, userid, username);
    res.json({ message: 'registered successfully', userid });
  });

  auth.post(['/login', '/login_sms'], async (req, res) => {
    const { phone } = bodyOf(loginBody, req);
    const userid = await textCode(req, phone);
    res.json({ phone: userid, userid });
  });

  auth.post('/verify_sms', async (req, res) => {
    const { userid, phone, token } = bodyOf(verifyBody, req);
    if (userid !== normalizePhoneNumber(phone)) throw new Refusal('invalid_request');
    const finished = await signIn.finish({ phone, code: token }, client(req));
    if (!finished.ok) throw finished.reason === 'invalid_token' ? new Refusal('invalid_token') : new Refusal('throttled', finished.retryAt);
    const pair = await sessions.issue(finished.userId, { amr: ['sms'], aal: 1, deviceId: finished.device.persistentId, ...client(req) });
    res.json({ access_token: pair.accessToken, refresh_token: pair.refreshToken, userid: finished.userId });
  });
  // #endregion

  // #region sessions
  const loggedIn = tokenRequired(sessions, { checkRevoked: true }); // a logged-out session's access token is refused at once
  const fresh = tokenRequired(sessions, { maxAge: 600, checkRevoked: true }); // flask's "fresh" token: signed in within 10 minutes

  auth.post('/op', loggedIn, (_req, res) => {
    res.json({ message: 'test op successful' });
  });

  // The refresh token travels in the Authorization header, as in flask-securelogin. It works once.
  auth.post('/refresh', async (req, res) => {
    const next = await sessions.refresh(/^Bearer (\S+)$/i.exec(req.get('authorization') ?? '')?.[1], client(req));
    if (!next.ok) throw new Refusal('token_invalid');
    res.json({ access_token: next.accessToken, refresh_token: next.refreshToken });
  });

  // The access token names its session: the `refresh_token` field flask-securelogin sends along is not needed.
  auth.post('/logout', loggedIn, async (req, res) => {
    await sessions.logout(req.token!.sid);
    res.json({ message: 'logout successful' });
  });

  auth.post('/logout_all_other_sessions', fresh, async (req, res) => {
    await sessions.logoutOthers(req.token!.sub, req.token!.sid);
    res.json({ message: 'logout all other sessions successful' });
  });
  // #endregion

  app.use(answerErrors(otp));
  return { app, signIn, sessions };
}

// #region bodies
const phoneNumber = z.string().max(64);
const registerBody = z.object({ username: z.string().trim().min(1).max(100), auth_type: z.literal('PHONE'), phone: phoneNumber });
const loginBody = z.object({ auth_type: z.literal('PHONE'), phone: phoneNumber });
const verifyBody = z.object({ userid: z.string().max(64), phone: phoneNumber, token: z.string().max(32) });

/** The body, checked. @throws Refusal `invalid_request` */
function bodyOf<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const parsed = schema.safeParse(req.body);
  if (!parsed.success) throw new Refusal('invalid_request');
  return parsed.data;
}
// #endregion

// #region users
/** The app's users: the phone number (E.164) is the user id; `registered_at` is set when its first code comes back. */
async function migrateUsers(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('securelogin_user')) return;
  await knex.schema.createTable('securelogin_user', (table) => {
    table.string('phone', 16).primary();
    table.string('username', 100).nullable();
    table.bigInteger('registered_at').nullable();
  });
}

/** Keeps the username `/register` asked for until the phone is verified; a registered user's username stays. */
async function offerUsername(knex: Knex, phone: string, username: string): Promise<void> {
  const replaced = await knex('securelogin_user').where({ phone }).whereNull('registered_at').update({ username });
  if (replaced === 0) await knex('securelogin_user').insert({ phone, username }).onConflict('phone').ignore();
}

/** Sign-in's `register`: the code sent to a new phone came back. @returns the user id, the phone itself */
async function registerUser(knex: Knex, phone: string, now: number): Promise<string> {
  await knex('securelogin_user').insert({ phone, registered_at: now }).onConflict('phone').merge(['registered_at']);
  return phone;
}
// #endregion

// #region errors
/** A refusal, answered as otpkit's JSON API answers: `{ error: { code, message } }` with the code's status. */
class Refusal extends Error {
  constructor(
    readonly code: HttpErrorCode,
    readonly retryAt?: number,
  ) {
    super(`refused: ${code}`);
  }
}

/** The code of an error no route refused itself. */
function codeOf(error: unknown): HttpErrorCode {
  if (error instanceof ValidationError) return 'invalid_request';
  if (error instanceof StorageError) return 'storage_unavailable';
  const status = (error as { status?: unknown } | null)?.status; // express.json()'s: bad JSON, too large, a bad charset
  return typeof status === 'number' && status >= 400 && status < 500 ? 'invalid_request' : 'internal';
}

/** Answers every error as JSON: bad input 400, limits 429 with `Retry-After`, an unreachable database 503; the message in the client's language. */
function answerErrors(otp: Otp): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const refusal = error instanceof Refusal ? error : new Refusal(codeOf(error));
    if (refusal.code === 'internal') console.warn(`securelogin: unexpected ${(error as Error | null)?.name ?? 'error'}`); // never its text: it may quote SQL values
    if (refusal.retryAt !== undefined) res.set('Retry-After', String(Math.max(1, Math.ceil((refusal.retryAt - otp.clock()) / 1000))));
    const { t } = otp.messages.translator(otp.messages.negotiate(req.get('accept-language')));
    res.status(httpErrors[refusal.code].status).json({ error: { code: refusal.code, message: t(`error.${refusal.code}`) } });
  };
}
// #endregion
