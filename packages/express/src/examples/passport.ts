import express, { type Request } from 'express';
import session from 'express-session';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Otp } from '@otpkit/core';
import { anonymousFormCsrf, otpLoginRouter, otpMiddleware, otpRequired } from '@otpkit/express';

/** What the example app needs from its host: the otp instance, password checking, the session secret. */
export interface PassportAppOptions {
  readonly otp: Otp;
  /** The user's id for a right username and password, else `null` (hash the password for unknown usernames too). */
  readonly authenticate: (username: string, password: string) => Promise<number | null>;
  readonly sessionSecret: string;
}

/** The user Passport keeps in the session (`req.user`). */
interface SessionUser {
  readonly id: string;
}

// #region passport-login
/** Signs `userId` in through Passport (`req.login`), which gives the session a new id. */
function passportLogIn(req: Request, userId: string): Promise<void> {
  return new Promise((resolve, reject) => req.login({ id: userId } satisfies SessionUser, (error) => (error ? reject(error) : resolve())));
}
// #endregion

/** An Express app whose password login is Passport's (passport-local), with otpkit as the second step. */
export function passportApp({ otp, authenticate, sessionSecret }: PassportAppOptions) {
  const app = express();
  const auth = new passport.Passport();

  // #region passport
  // The app as it was: passport-local checks the password, Passport keeps the user in the session.
  auth.use(
    new LocalStrategy((username, password, done) => {
      authenticate(username, password).then((id) => done(null, id === null ? false : ({ id: String(id) } satisfies SessionUser)), done);
    }),
  );
  auth.serializeUser((user, done) => done(null, (user as SessionUser).id));
  auth.deserializeUser((id: string, done) => done(null, { id } satisfies SessionUser));
  app.use(session({ secret: sessionSecret, resave: false, saveUninitialized: false, cookie: { httpOnly: true, sameSite: 'lax' } }));
  app.use(auth.session());
  // #endregion

  // #region otpkit
  // otpkit after Passport: the user is Passport's req.user. A verification gives the session a new
  // id too: sessionKeys makes Passport's own field (req.session.passport) cross it.
  app.use(otpMiddleware(otp, { getUserId: (req) => (req.user as SessionUser | undefined)?.id, sessionKeys: ['passport'] }));
  // The token page (/account/verify), enrolment and logout; its own login page signs in through Passport too.
  app.use('/account', otpLoginRouter(otp, { authenticate, logIn: passportLogIn }));
  // #endregion

  // #region login-route
  // Your Passport login route: after the password, a user with a device goes to the token page.
  const loginCsrf = anonymousFormCsrf();
  app.get('/login', (req, res) => {
    res.type('html').send(`<!doctype html><title>Sign in</title>
<form method="post" action="/login"><input type="hidden" name="_csrf" value="${loginCsrf.token(req, res)}">
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button>Sign in</button></form>`);
  });
  app.post('/login', express.urlencoded({ extended: false }), loginCsrf.protect, auth.authenticate('local', { failureRedirect: '/login' }), async (req, res) => {
    const userId = (req.user as SessionUser).id;
    res.redirect(303, (await otp.userHasDevice(userId)) ? '/account/verify?next=%2Fdashboard' : '/dashboard');
  });
  // Passport's logout gives the session a new id: the verification goes with the old one.
  app.post('/logout', (req, res, next) => req.logout((error) => (error ? next(error) : res.redirect(303, '/login'))));
  // #endregion

  // #region guards
  // Pages: a user with a device must have typed its token (a password alone is refused: the browser
  // is sent on to the token page); a user without one passes, until a policy requires one.
  app.get('/dashboard', otpRequired({ loginUrl: '/account/login', ifConfigured: true }), (req, res) => {
    res.json({ page: 'dashboard', user: (req.user as SessionUser).id, verified: req.otp.isVerified() });
  });
  // #endregion

  return app;
}
