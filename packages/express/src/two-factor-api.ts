import express, { type ErrorRequestHandler, type Router } from 'express';
import { ConfigurationError, OtpError, type Otp } from '@otpkit/core';
import { ApiError } from './api/api-error.js';
import type { ApiSetup, ResolvedTwoFactorApiOptions, TwoFactorApiOptions } from './api/api-setup.js';
import { browserRoutes } from './api/browser-routes.js';
import { deviceRoutes } from './api/device-routes.js';
import { enrolRoutes } from './api/enrol-routes.js';
import { enrolmentGate } from './api/enrolment-gate.js';
import { methodRoutes } from './api/method-routes.js';
import { rescueRoutes } from './api/rescue-routes.js';
import { resolveRescue } from './api/rescue-options.js';
import { verifyRoutes } from './api/verify-routes.js';
import { passkeyRoutes } from './api/passkey-routes.js';
import { tokenRoutes } from './api/token-routes.js';
import { linkPages } from './api/link-pages.js';
import { SignInCompletion } from './api/sign-in-completion.js';
import { signInRoutes } from './api/sign-in-routes.js';
import { checkOptionKeys, isSignIn, isTokenSessions } from '@otpkit/core';
import { resolveTokenTransport } from './token-transport.js';
import { TokenCarrier } from './internal/token-carrier.js';
import { defaultLogIn } from './passkey-sign-in-flow.js';
import { codeForOtpError, sendError, type HttpErrorCode, httpErrors } from './http-errors.js';
import { contextOf, loggerOf } from './internal/context.js';
import { requestText } from './internal/request-text.js';
import { servedBy } from './internal/event-meta.js';

/** body-parser's error types and the code each becomes. */
const BODY_ERRORS: Readonly<Record<string, HttpErrorCode>> = {
  'entity.parse.failed': 'malformed_json',
  'entity.too.large': 'payload_too_large',
  'encoding.unsupported': 'unsupported_media_type',
  'charset.unsupported': 'unsupported_media_type',
  'request.aborted': 'invalid_request',
  'request.size.invalid': 'invalid_request',
};

const OPTION_KEYS: readonly (keyof TwoFactorApiOptions)[] = ['bodyLimit', 'rescue', 'passkeySignIn', 'logIn', 'tokenSessions', 'tokenTransport', 'tokenCookie', 'signIn'];

/** Options of 0.1 that moved or went, and the fix each error names. */
const MOVED_OPTIONS: Readonly<Record<string, string>> = {
  recentVerification: 'twoFactorApi: recentVerification moved to otpMiddleware(otp, { recentVerification })',
  rescueDeviceName: "twoFactorApi: rescueDeviceName is gone (rescue no longer creates a device); see the rescue option ({ mode: 'email' })",
};

function resolveOptions(otp: Otp, options: TwoFactorApiOptions): ResolvedTwoFactorApiOptions {
  if (options === null || typeof options !== 'object') throw new ConfigurationError('twoFactorApi: options must be an object such as { tokenSessions }');
  for (const [name, message] of Object.entries(MOVED_OPTIONS)) {
    if (Object.hasOwn(options, name)) throw new ConfigurationError(message);
  }
  checkOptionKeys('twoFactorApi', options, OPTION_KEYS);
  const { passkeySignIn = null, logIn = defaultLogIn } = options;
  if (passkeySignIn !== null && (typeof passkeySignIn?.start !== 'function' || typeof passkeySignIn.finish !== 'function')) {
    throw new ConfigurationError('twoFactorApi: passkeySignIn must be a PasskeySignIn from @otpkit/webauthn (new PasskeySignIn(otp))');
  }
  if (typeof logIn !== 'function') throw new ConfigurationError('twoFactorApi: logIn must be a function (req, userId) => void');
  const { tokenSessions = null } = options;
  if (tokenSessions !== null && !isTokenSessions(tokenSessions)) {
    throw new ConfigurationError('twoFactorApi: tokenSessions must be a TokenSessions from @otpkit/tokens (createTokenSessions(otp, options))');
  }
  const tokenTransport = resolveTokenTransport('twoFactorApi', options);
  if (tokenTransport.mode !== 'body' && tokenSessions === null) throw new ConfigurationError(`twoFactorApi: tokenTransport '${tokenTransport.mode}' needs tokenSessions (createTokenSessions(otp, options))`);
  const { signIn = null } = options;
  if (signIn !== null && !isSignIn(signIn)) throw new ConfigurationError('twoFactorApi: signIn must be a SignIn from @otpkit/signin (createSignIn(otp, options))');
  if (signIn?.links === true && tokenSessions !== null && tokenTransport.mode === 'body') {
    throw new ConfigurationError("twoFactorApi: a magic link signs in the browser that opens it, which keeps its token session in a cookie: give tokenTransport 'cookie' or 'both', or turn magic links off (no linkUrl)");
  }
  return Object.freeze({ bodyLimit: options.bodyLimit ?? '16kb', rescue: resolveRescue(options.rescue, otp.plugins), passkeySignIn, logIn, tokenSessions, tokenTransport, signIn });
}

/**
 * The JSON two-factor API (see docs/openapi.yaml): list devices; enrol a device of any plugin
 * configured on `otp` (`POST /devices/:type`: an authenticator app, backup codes, an address or a
 * phone number, a third-party plugin's device); confirm and remove devices; list the ways to
 * verify and set the preferred one; ask for a challenge; validate a token; list and revoke remembered browsers; rescue, token sessions and passwordless
 * sign-in by code or magic link (off unless configured; `tokenTransport` keeps a browser's refresh
 * token in an HttpOnly cookie guarded by a CSRF token; a magic link's page is HTML, the one
 * exception to JSON). Changing the account's factors needs a
 * recent verification once the user has a confirmed device. With otpMiddleware's `policy`, a user
 * who must enrol gets 403 `enrolment_required` from every route but those needed to enrol. Answers carry stable error codes (`{ error: { code, message } }`) and never a 500 for
 * bad input; throttles, cooldowns and daily send limits are 429 with `Retry-After`. Bodies must be JSON
 * (`Content-Type: application/json`), which also keeps cross-site forms out. Needs
 * express-session and otpMiddleware first.
 * @throws ConfigurationError for bad options (at start-up).
 */
export function twoFactorApi(otp: Otp, options: TwoFactorApiOptions = {}): Router {
  const plugins = new Map(otp.plugins.map((plugin) => [plugin.type, plugin]));
  const setup: ApiSetup = { otp, options: resolveOptions(otp, options), plugin: (type) => plugins.get(type) };
  const { tokenSessions, tokenTransport, signIn, logIn } = setup.options;
  const tokens = tokenSessions === null ? null : { sessions: tokenSessions, carrier: new TokenCarrier(tokenTransport, tokenSessions.clock) };
  const completion = new SignInCompletion(tokens, logIn);
  const router = express.Router();
  router.use(servedBy('api'));
  // The pages a magic link opens: HTML and a form post, before the JSON-only rule below.
  if (signIn?.links === true) router.use(linkPages(otp, signIn, completion));
  router.use((req, res, next) => {
    contextOf(req, otp);
    res.set('Cache-Control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE' && !req.is('application/json')) {
      return next(new ApiError('unsupported_media_type'));
    }
    next();
  });
  router.use(express.json({ limit: setup.options.bodyLimit, strict: true }));
  router.use(enrolmentGate());
  deviceRoutes(router, setup);
  enrolRoutes(router, setup);
  verifyRoutes(router, setup);
  methodRoutes(router, setup);
  rescueRoutes(router, setup);
  browserRoutes(router, setup);
  if (setup.options.passkeySignIn !== null) passkeyRoutes(router, setup.options.passkeySignIn, setup.options.logIn);
  if (tokens !== null) tokenRoutes(router, otp, tokens.sessions, tokens.carrier);
  if (signIn !== null) signInRoutes(router, signIn, completion);
  router.use((_req, _res, next) => next(new ApiError('not_found')));
  const answer: ErrorRequestHandler = (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const { t } = requestText(req, otp.messages);
    if (error instanceof ApiError) {
      const retryAfter = error.details.retryAfter;
      if (typeof retryAfter === 'number' && httpErrors[error.apiCode].status === 429) res.set('Retry-After', String(retryAfter));
      return sendError(res, t, error.apiCode, { ...error.details });
    }
    if (error instanceof OtpError) {
      const code = codeForOtpError(error);
      if (code === 'internal' || code === 'storage_unavailable' || code === 'secret_unavailable') loggerOf(req).warn(`two-factor API: ${error instanceof ConfigurationError ? error.message : error.code}`);
      return sendError(res, t, code, code === 'invalid_request' ? { detail: error.message } : {});
    }
    const bodyError = typeof error?.type === 'string' ? BODY_ERRORS[error.type] : undefined;
    if (bodyError !== undefined) return sendError(res, t, bodyError);
    // Other client errors Express raises (a path that does not URL-decode, say).
    if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500) return sendError(res, t, 'invalid_request');
    loggerOf(req).warn('two-factor API: unexpected error');
    sendError(res, t, 'internal');
  };
  router.use(answer);
  return router;
}
