import type { Request, RequestHandler, Response, Router } from 'express';
import { isPrintableText, storedUserId, type UserId } from '@otpkit/core';
import { z } from 'zod';
import { formError, type OtpFormError } from './forms/form-errors.js';
import { parseForm, textField } from './forms/form-fields.js';
import { enrolmentStep } from './enrolment-routes.js';
import { logInSession } from './internal/session-sign-in.js';
import { viewPath } from './internal/view-path.js';
import type { LogIn } from './passkey-sign-in-flow.js';
import { signUpPage } from './views/sign-up-page.js';

/** Why the application refused a sign-up, shown on the form in the request's language. */
export interface SignUpRefusal {
  readonly refused: 'username_taken' | 'username_invalid';
}

/**
 * Creates the account of a new user with this username and password (hash the password: scrypt,
 * bcrypt or argon2) and returns its id, or says why it cannot. otpkit has checked that the username
 * is printable text of at most 150 characters and the password long enough.
 */
export type SignUp = (username: string, password: string, req: Request) => Promise<UserId | SignUpRefusal> | UserId | SignUpRefusal;

/** The shortest password the sign-up page accepts (NIST SP 800-63B's minimum for a chosen one). */
export const MIN_PASSWORD_LENGTH = 8;
/** The longest password accepted: a hash of more proves nothing and costs the server time. */
const MAX_PASSWORD_LENGTH = 1024;

const signUpForm = z.object({ username: textField(150), password: textField(MAX_PASSWORD_LENGTH) });

/** What the sign-up routes share with the rest of the login views. */
export interface SignUpKit {
  readonly signUp: SignUp;
  readonly logIn: LogIn;
  /** The anonymous forms' CSRF check and token (a double-submit cookie: no session before sign-up). */
  readonly protect: RequestHandler;
  readonly csrfToken: (req: Request, res: Response) => string;
  readonly nextOf: (req: Request) => string;
}

function refusalOf(value: unknown): SignUpRefusal['refused'] | null {
  if (value === null || typeof value !== 'object') return null;
  const refused = (value as { refused?: unknown }).refused;
  return refused === 'username_taken' || refused === 'username_invalid' ? refused : null;
}

/**
 * `GET|POST /signup` of the login views: a new user picks a username and a password, the
 * application's `signUp` creates the account, and the user is signed in (a new session id) and sent
 * on, through the enrol page when otpMiddleware's `policy` requires a second factor of them.
 */
export function signUpRoutes(router: Router, kit: SignUpKit): void {
  const render = (req: Request, res: Response, status: number, errors: readonly OtpFormError[], username?: string) => {
    const page = signUpPage({
      action: viewPath(req, 'signup'),
      csrfToken: kit.csrfToken(req, res),
      next: kit.nextOf(req),
      username,
      errors,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      loginHref: viewPath(req, 'login', kit.nextOf(req)),
      locale: req.otp.locale,
      t: req.otp.t,
    });
    res.status(status).type('html').send(page);
  };

  router.get('/signup', (req, res) => {
    if (req.otp.isAuthenticated()) return res.redirect(303, kit.nextOf(req));
    render(req, res, 200, []);
  });

  router.post('/signup', kit.protect, async (req, res) => {
    const { t } = req.otp;
    const { username = '', password = '' } = parseForm(signUpForm, req.body);
    const name = username.trim();
    if (name === '' || !isPrintableText(name)) return render(req, res, 400, [formError(t, 'username_invalid', {}, 'username')], name);
    if (password.length < MIN_PASSWORD_LENGTH) return render(req, res, 400, [formError(t, 'password_too_short', { min: MIN_PASSWORD_LENGTH }, 'password')], name);
    const created = await kit.signUp(name, password, req);
    const refused = refusalOf(created);
    if (refused !== null) return render(req, res, 400, [formError(t, refused, {}, 'username')], name);
    await logInSession(req, res, kit.logIn, storedUserId(created as UserId));
    res.redirect(303, await enrolmentStep(req, kit.nextOf(req)));
  });
}
