import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

declare module 'express-session' {
  interface SessionData {
    /** The synchroniser token of the demo's own forms. */
    demoCsrf?: string;
  }
}

/** The session's CSRF token for the demo's forms, created on first use. */
export function csrfToken(session: { demoCsrf?: string }): string {
  session.demoCsrf ??= randomBytes(24).toString('base64url');
  return session.demoCsrf;
}

/** Refuses a POST whose `_csrf` field is not the session's token (403). */
export const requireCsrf: RequestHandler = (req, res, next) => {
  const sent = Buffer.from(typeof req.body?._csrf === 'string' ? req.body._csrf : '');
  const expected = Buffer.from(req.session.demoCsrf ?? '');
  if (expected.length === 0 || sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    res.status(403).type('text').send('The form expired; go back, reload and try again.');
    return;
  }
  next();
};
