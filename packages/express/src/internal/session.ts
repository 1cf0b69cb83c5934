import type { Request } from 'express';
import { ConfigurationError } from '@otpkit/core';

/** Session fields a new session id must not inherit: the cookie is the store's, the CSRF token is re-issued. */
const NOT_CARRIED = new Set(['cookie', 'csrfToken']);

/** Fails with a clear message when express-session is not installed before otpkit. */
export function sessionOf(req: Request): Request['session'] {
  if (req.session === undefined || typeof req.session.regenerate !== 'function') {
    throw new ConfigurationError('otpkit needs express-session: app.use(session(...)) before otpMiddleware');
  }
  return req.session;
}

/**
 * Gives the session a new id (against session fixation) and carries its data over, except the
 * CSRF token, which forms issue anew.
 */
export async function regenerateSession(req: Request): Promise<void> {
  const session = sessionOf(req);
  const carried = Object.fromEntries(Object.entries(session).filter(([key]) => !NOT_CARRIED.has(key)));
  await new Promise<void>((resolve, reject) => {
    session.regenerate((error: unknown) => (error ? reject(error) : resolve()));
  });
  Object.assign(req.session, carried);
}
