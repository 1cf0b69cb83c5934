import type { Request } from 'express';
import { ConfigurationError } from '@otpkit/core';
import { contextOf } from './context.js';

/** The session fields otpkit itself keeps, which always cross a regeneration. */
export const OTPKIT_SESSION_KEYS: readonly string[] = Object.freeze(['otpkit', 'otpkitRescue', 'otpkitBinding', 'otpkitSignedInWith']);

/** Whether express-session ran before otpkit on this request. */
export function hasSession(req: Request): boolean {
  return req.session !== undefined && req.session !== null && typeof req.session.regenerate === 'function';
}

/** The error of a request that reached otpkit without a session, naming the fix. */
export function missingSessionError(): ConfigurationError {
  return new ConfigurationError('otpkit needs express-session: app.use(session(...)) before otpMiddleware');
}

/** Fails with a clear message when express-session is not installed before otpkit. */
export function sessionOf(req: Request): Request['session'] {
  if (!hasSession(req)) throw missingSessionError();
  return req.session;
}

/**
 * Gives the session a new id (against session fixation) and carries over only an explicit list:
 * otpMiddleware's `sessionKeys` (default `['userId']`) and otpkit's own fields. Everything else
 * (an application's CSRF secret, flash messages, anything an attacker planted in a fixated
 * session) is dropped.
 */
export async function regenerateSession(req: Request): Promise<void> {
  const session = sessionOf(req);
  const keys = [...contextOf(req).sessionKeys, ...OTPKIT_SESSION_KEYS];
  const fields = session as unknown as Record<string, unknown>;
  const carried = Object.fromEntries(keys.filter((key) => Object.hasOwn(fields, key)).map((key) => [key, fields[key]]));
  await new Promise<void>((resolve, reject) => {
    session.regenerate((error: unknown) => (error ? reject(error) : resolve()));
  });
  Object.assign(req.session, carried);
}
