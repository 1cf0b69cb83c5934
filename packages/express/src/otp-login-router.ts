import express, { type Request, type Response, type Router } from 'express';
import { csrfSync } from 'csrf-sync';
import { checkOptionKeys, ConfigurationError, type Otp, type UserId } from '@otpkit/core';
import { anonymousFormCsrf } from './anonymous-form-csrf.js';
import { OTPAuthenticationForm, type Authenticate } from './forms/otp-authentication-form.js';
import { OTPTokenForm } from './forms/otp-token-form.js';
import type { OtpFormError } from './forms/form-errors.js';
import { contextOf } from './internal/context.js';
import { eventMeta, servedBy } from './internal/event-meta.js';
import { logInSession } from './internal/session-sign-in.js';
import { viewPath } from './internal/view-path.js';
import { signUpRoutes, type SignUp } from './sign-up-routes.js';
import { backupCodeStep, enrolmentRoutes, enrolmentStep } from './enrolment-routes.js';
import { safeNext } from './internal/safe-next.js';
import { signInMethods } from './internal/sign-in-methods.js';
import { PAGE_CSP } from './views/layout.js';
import { loginPage, type LoginPageModel } from './views/login-page.js';
import { messagePage } from './views/message-page.js';
import { pageRefusals } from './views/page-refusals.js';
import { tokenPage } from './views/token-page.js';
import { browserAssets } from './internal/browser-assets.js';
import { ceremonyBinding } from './internal/ceremony-binding.js';
import { logInWithPasskey } from './internal/passkey-login.js';
import { defaultLogIn, type PasskeySignInFlow } from './passkey-sign-in-flow.js';
import { formError } from './forms/form-errors.js';
import type { BrowserChallenge } from './forms/clean-otp.js';

/** Options of {@link otpLoginRouter}. */
export interface OtpLoginRouterOptions {
  /** Checks a username and password; returns the user's id, or `null`. The request is passed for rate limiting or logs. */
  readonly authenticate: (username: string, password: string, req: Request) => Promise<UserId | null> | UserId | null;
  /**
   * Ask for password and token on one page (django-otp's `OTPAuthenticationForm`) instead of two
   * steps. The form shows the token field from the start and takes the codes the user reads (an
   * authenticator app, a hardware token, a backup code); it never sends a code, and a refusal is the
   * same whether the password or the code was wrong, so it never tells that a password was right.
   * Users whose second factor is a code sent by email or text message, or a security key, need the
   * two-step login. @default false
   */
  readonly onePage?: boolean;
  /** Records the authenticated user in the session; must agree with otpMiddleware's `getUserId`. @default (req, id) => { req.session.userId = id } */
  readonly logIn?: (req: Request, userId: string) => void | Promise<void>;
  /** Where to go after login when no (safe) `next` is given. @default '/' */
  readonly defaultNext?: string;
  /**
   * Passwordless sign-in with a passkey (`new PasskeySignIn(otp)` from `@otpkit/webauthn`): the
   * login page offers the site's passkeys (in the username field's autofill where the browser can,
   * and on a button), and `POST /login/passkey` signs the user in with both factors.
   * @default undefined
   */
  readonly passkeySignIn?: PasskeySignInFlow;
  /**
   * Lets new users create an account on `GET|POST /signup` (a username and a password; the login
   * page links to it): your function creates the user and returns its id, or refuses the username.
   * The new user is signed in and, when otpMiddleware's `policy` requires it, sent to set up a
   * second factor first. @default undefined (no sign-up page)
   */
  readonly signUp?: SignUp;
}

const FORM_LIMIT = '16kb';
/** Every key of {@link OtpLoginRouterOptions}. */
const OPTION_KEYS: readonly (keyof OtpLoginRouterOptions)[] = ['authenticate', 'onePage', 'logIn', 'defaultNext', 'passkeySignIn', 'signUp'];

/**
 * The server-rendered login views: `GET|POST /login` (password, then the token unless the user has
 * no device), `GET|POST /verify` (token only, for an authenticated user, also for step-up; the form
 * of one method, the preferred device by default, with ways to switch to the others),
 * `GET|POST /enrol` (set up a first device, then backup codes: where otpMiddleware's `policy` sends
 * a required user without one, after the password step and from `otpRequired`), `GET|POST
 * /backup-codes` (after a backup code: how many remain) and
 * `POST /logout` (with `forget=1`, "forget this browser": its remembered-browser row is revoked). Forms are CSRF-protected: the anonymous login form by a double-submit cookie
 * ({@link anonymousFormCsrf}), so viewing it creates no session; the others by csrf-sync (a
 * synchroniser token in the session). The session id is regenerated at password login and at
 * verification; `next` is honoured only when it is a same-origin relative URL. Needs express-session and otpMiddleware first.
 * @throws ConfigurationError for bad options (at start-up).
 */
export function otpLoginRouter(otp: Otp, options: OtpLoginRouterOptions): Router {
  if (typeof options?.authenticate !== 'function') throw new ConfigurationError('otpLoginRouter: authenticate must be a function');
  checkOptionKeys('otpLoginRouter', options, OPTION_KEYS);
  const onePage = options.onePage ?? false;
  const defaultNext = safeNext(options.defaultNext ?? '/', '');
  if (defaultNext === '') throw new ConfigurationError('otpLoginRouter: defaultNext must be a path such as /');
  const logIn = options.logIn ?? defaultLogIn;
  const passkeySignIn = options.passkeySignIn ?? null;
  if (passkeySignIn !== null && (typeof passkeySignIn.start !== 'function' || typeof passkeySignIn.finish !== 'function')) {
    throw new ConfigurationError('otpLoginRouter: passkeySignIn must be a PasskeySignIn from @otpkit/webauthn (new PasskeySignIn(otp))');
  }
  const signUp = options.signUp ?? null;
  if (signUp !== null && typeof signUp !== 'function') throw new ConfigurationError('otpLoginRouter: signUp must be a function (username, password, req) => the new user id or { refused }');
  const assets = browserAssets(otp);
  if (passkeySignIn !== null && !assets.has(passkeySignIn.type)) {
    throw new ConfigurationError(`otpLoginRouter: passkeySignIn is for device type "${passkeySignIn.type}", which has no browser script on this otp instance`);
  }
  const loginCsrf = anonymousFormCsrf();
  const { csrfSynchronisedProtection: csrf, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined),
  });
  const router = express.Router();
  router.get('/assets/:file', assets.handler);
  router.use(servedBy('views'));
  router.use(express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 20 }));
  router.use((req, res, next) => {
    contextOf(req, otp);
    res.set({ 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store', 'Referrer-Policy': 'same-origin' });
    next();
  });

  const nextOf = (req: Request) => safeNext(req.method === 'POST' ? req.body?.next : req.query.next, defaultNext);
  const path = (req: Request, view: 'login' | 'login/passkey' | 'verify' | 'logout', next?: string) => viewPath(req, view, next);
  enrolmentRoutes(router, { otp, csrf, csrfToken: generateToken, assets, nextOf });
  if (signUp !== null) signUpRoutes(router, { signUp, logIn, protect: loginCsrf.protect, csrfToken: loginCsrf.token, nextOf });

  /** The methods the token step offers: confirmed second factors (a `login`-only device never is one), the default first. */
  const methodsOf = (userId: string) => signInMethods(otp, userId, assets.has);

  /**
   * The passkey part of the login page: a fresh challenge bound to this browser. When it cannot be
   * started (the store is down, its table missing), the page is shown without it and a warning is
   * logged: the password form must keep working.
   */
  async function passkeyPart(req: Request, csrfToken: string, errors: readonly OtpFormError[]): Promise<LoginPageModel['passkey']> {
    if (passkeySignIn === null) return undefined;
    let request: object;
    try {
      ({ request } = await passkeySignIn.start({ session: csrfToken }));
    } catch (error) {
      contextOf(req).logger.warn(`login views: passkey sign-in is unavailable (${(error as { code?: unknown })?.code ?? 'error'}); the page offers the password only`);
      return undefined;
    }
    // After a refused passkey, offer the button only: autofill would prompt again unasked.
    const autofill = !errors.some((error) => error.code === 'passkey_refused');
    return { action: path(req, 'login/passkey'), request, script: assets.url(req, passkeySignIn.type), autofill };
  }

  /** The login page (with the token field on one page), with passkey sign-in when it is on, in the request's locale. */
  async function renderLogin(req: Request, res: Response, status: number, model: Omit<LoginPageModel, 'locale' | 't' | 'action' | 'csrfToken' | 'next' | 'passkey' | 'signUpHref' | 'askToken'>) {
    const csrfToken = loginCsrf.token(req, res);
    const passkey = await passkeyPart(req, csrfToken, model.errors);
    send(res, status, loginPage({ ...model, askToken: onePage, locale: req.otp.locale, t: req.otp.t, action: path(req, 'login'), csrfToken, next: nextOf(req), passkey, signUpHref: signUp === null ? undefined : viewPath(req, 'signup', nextOf(req)) }));
  }

  function send(res: Response, status: number, page: string): void {
    res.status(status).type('html').send(page);
  }

  router.get('/login', async (req, res) => {
    if (req.otp.isAuthenticated()) return res.redirect(303, path(req, 'verify', nextOf(req)));
    await renderLogin(req, res, 200, { errors: [] });
  });

  router.post('/login/passkey', loginCsrf.protect, async (req, res) => {
    const { locale, t } = req.otp;
    if (passkeySignIn === null) return send(res, 404, messagePage(locale, t('page.notFound.title'), t('error.not_found'), { href: path(req, 'login'), text: t('views.backToSignIn') }));
    const credential = typeof req.body?.credential === 'string' ? req.body.credential : undefined;
    const outcome = await passkeySignIn.finish(credential, { session: loginCsrf.token(req, res) }, eventMeta(req));
    if (!outcome.ok || !(await logInWithPasskey(req, res, logIn, outcome))) return renderLogin(req, res, 400, { errors: [formError(t, 'passkey_refused')] });
    res.redirect(303, await enrolmentStep(req, nextOf(req)));
  });

  router.post('/login', loginCsrf.protect, async (req, res) => {
    const next = nextOf(req);
    const form = new OTPAuthenticationForm(otp, ((username, password) => options.authenticate(username, password, req)) as Authenticate, req.body, eventMeta(req));
    const result = await form.validate({ tokenOptional: !onePage, conceal: onePage, locale: req.otp.locale });
    if (!result.ok) return renderLogin(req, res, result.status, { username: form.data.username, errors: result.errors });
    await logInSession(req, res, logIn, result.userId);
    if (result.device !== null) await req.otp.login(result.device);
    const destination = await enrolmentStep(req, next);
    res.redirect(303, result.needsToken && !req.otp.isVerified() ? path(req, 'verify', destination) : backupCodeStep(req, destination));
  });

  /**
   * The token page: the form of the method the form posted or the query names (`?device=`, one of
   * the user's own, else the default), or with `?choose=1` the list of every method.
   */
  async function renderToken(req: Request, res: Response, status: number, form?: OTPTokenForm, errors: readonly OtpFormError[] = [], browserChallenge?: BrowserChallenge) {
    const context = contextOf(req);
    const methods = await methodsOf(req.otp.userId!);
    const page = tokenPage({
      locale: req.otp.locale,
      action: path(req, 'verify'),
      logoutAction: path(req, 'logout'),
      csrfToken: generateToken(req),
      next: nextOf(req),
      t: req.otp.t,
      methods,
      selected: form === undefined ? (typeof req.query.device === 'string' ? req.query.device : undefined) : form.data.device,
      choosing: form === undefined && req.query.choose === '1',
      errors,
      browserChallenge,
      scripts: [...new Set(methods.filter((method) => method.browser).map((method) => assets.url(req, method.type)))],
      canRemember: context.remember !== null,
      rememberDays: Math.round((context.remember?.rememberFor ?? 0) / 86400),
    });
    send(res, status, page);
  }

  router.get('/verify', async (req, res) => {
    if (!req.otp.isAuthenticated()) return res.redirect(303, path(req, 'login', nextOf(req)));
    await renderToken(req, res, 200);
  });

  router.post('/verify', csrf, async (req, res) => {
    const userId = req.otp.userId;
    if (userId === null) return res.redirect(303, path(req, 'login', nextOf(req)));
    const form = new OTPTokenForm(otp, userId, req.body, eventMeta(req), ceremonyBinding(req));
    const result = await form.validate({ locale: req.otp.locale });
    if (!result.ok) {
      return renderToken(req, res, result.status, form, result.errors, result.browserChallenge);
    }
    await req.otp.login(result.device);
    if (form.data.remember && req.otp.canRemember()) await req.otp.remember();
    if (form.data.prefer) await otp.userSettings.setPreferredDevice(userId, result.device.persistentId, eventMeta(req));
    res.redirect(303, backupCodeStep(req, nextOf(req)));
  });

  router.post('/logout', csrf, async (req, res) => {
    if (req.body?.forget === '1') await req.otp.forget();
    await new Promise<void>((resolve, reject) => req.session.regenerate((error: unknown) => (error ? reject(error) : resolve())));
    res.redirect(303, path(req, 'login'));
  });

  router.use(pageRefusals(otp.messages, (req) => ({ href: path(req, 'login'), text: 'views.backToSignIn' })));
  return router;
}
