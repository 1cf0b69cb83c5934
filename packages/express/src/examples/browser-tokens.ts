import express from 'express';
import session from 'express-session';
import type { Otp, TokenSessionsLike } from '@otpkit/core';
import { otpMiddleware, tokenRequired, tokenSender, twoFactorApi } from '@otpkit/express';

/** What the browser-token example needs from its host. */
export interface BrowserTokensOptions {
  readonly otp: Otp;
  readonly sessions: TokenSessionsLike;
  readonly checkPassword: (username: string, password: string) => Promise<number | null>;
  readonly sessionSecret: string;
  /** The cookies' `Secure` flag: `false` only for development over plain HTTP. */
  readonly secure: boolean;
}

/** A single-page application's back end: token sessions whose refresh token lives in an HttpOnly cookie. */
export function browserTokensApp({ otp, sessions, checkPassword, sessionSecret, secure }: BrowserTokensOptions) {
  const app = express();
  app.use(session({ secret: sessionSecret, resave: false, saveUninitialized: false, cookie: { httpOnly: true, sameSite: 'lax' } }));
  app.use(otpMiddleware(otp));

  // #region server
  // The same options for the API and for your own sign-in route.
  const tokens = { tokenSessions: sessions, tokenTransport: 'cookie', tokenCookie: { path: '/api/2fa/tokens', secure } } as const;
  app.use('/api/2fa', twoFactorApi(otp, tokens)); // POST /api/2fa/tokens/refresh and /logout take the cookie
  const sendTokens = tokenSender(tokens);

  app.post('/sign-in', express.json(), async (req, res) => {
    const userId = await checkPassword(String(req.body.username), String(req.body.password));
    if (userId === null) return void res.status(401).json({ error: 'wrong username or password' });
    // A password alone is one factor (aal: 1); check a second factor (otp.verify) before aal: 2.
    const issued = await sessions.issue(userId, { amr: ['pwd'], aal: 1, ip: req.ip, userAgent: req.get('user-agent') });
    sendTokens(req, res, issued); // { accessToken, csrfToken, ... } and the cookies; never the refresh token
  });

  app.get('/api/me', tokenRequired(sessions), (req, res) => void res.json({ userId: req.token!.sub }));
  // #endregion

  return app;
}

// #region client
/** In the page: the CSRF value is the readable cookie's (`document.cookie`); the refresh token's cookie is HttpOnly. */
export function csrfFromCookies(cookies: string): string | null {
  return /(?:^|;\s*)(?:__Host-)?otpkit-csrf=([\w-]{43})/.exec(cookies)?.[1] ?? null;
}

/** A new access token from the refresh cookie (the browser sends it), or `null`: sign in again. */
export async function refreshAccessToken(cookies: string, send: typeof fetch = fetch): Promise<string | null> {
  const csrf = csrfFromCookies(cookies);
  if (csrf === null) return null;
  const response = await send('/api/2fa/tokens/refresh', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: '{}',
  });
  return response.ok ? ((await response.json()) as { accessToken: string }).accessToken : null;
}
// #endregion
