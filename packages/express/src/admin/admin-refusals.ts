import type { ErrorRequestHandler, Request, Response } from 'express';
import type { MessageKey, UserRecord } from '@otpkit/core';
import { httpErrors, isStorageFailure, sendError, type HttpErrorCode } from '../http-errors.js';
import { answerStorageUnavailable } from '../internal/storage-unavailable.js';
import { wantsJson } from '../internal/wants-json.js';
import { adminMessagePage } from './views/admin-message-page.js';
import { userPath } from './views/admin-parts.js';

/** Each way the admin pages refuse a request: its HTTP error code and the page's title and message. */
const REFUSALS = {
  admin_forbidden: { code: 'admin_forbidden', title: 'admin.forbidden.title', message: 'admin.forbidden.message' },
  verification_required: { code: 'verification_required', title: 'admin.verify.title', message: 'admin.verify.message' },
  recent_verification_required: { code: 'recent_verification_required', title: 'admin.verify.title', message: 'admin.verify.recentMessage' },
  user_not_found: { code: 'not_found', title: 'admin.notFound.title', message: 'admin.notFound.user' },
  device_not_found: { code: 'device_not_found', title: 'admin.notFound.title', message: 'admin.notFound.device' },
  browser_not_found: { code: 'not_found', title: 'admin.notFound.title', message: 'admin.notFound.browser' },
  session_not_found: { code: 'not_found', title: 'admin.notFound.title', message: 'admin.notFound.session' },
  not_found: { code: 'not_found', title: 'admin.notFound.title', message: 'admin.notFound.page' },
  csrf_invalid: { code: 'csrf_invalid', title: 'admin.formExpired.title', message: 'admin.formExpired.message' },
  payload_too_large: { code: 'payload_too_large', title: 'admin.badRequest.title', message: 'admin.badRequest.tooLarge' },
  invalid_request: { code: 'invalid_request', title: 'admin.badRequest.title', message: 'admin.badRequest.message' },
} as const satisfies Record<string, { readonly code: HttpErrorCode; readonly title: MessageKey; readonly message: MessageKey }>;

/** Why the admin pages refused a request; the page's `data-code`. */
export type AdminRefusal = keyof typeof REFUSALS;

/**
 * Answers a refused request: JSON `{ error: { code, message } }` to a client that wants JSON, else
 * a page in the request's language saying why (its `data-code` the refusal) with a link: `link`
 * (`null`: none), else the search page (none for someone who is not an administrator).
 */
export function refuse(req: Request, res: Response, refusal: AdminRefusal, link?: { readonly href: string; readonly text: string } | null): void {
  const { code, title, message } = REFUSALS[refusal];
  const back = link !== undefined ? link : refusal === 'admin_forbidden' ? null : { href: `${req.baseUrl}/`, text: req.otp.t('admin.search.back') };
  if (wantsJson(req)) return sendError(res, req.otp.t, code);
  const page = adminMessagePage({ locale: req.otp.locale }, { code: refusal, title: req.otp.t(title), message: req.otp.t(message), link: back ?? undefined });
  res.status(httpErrors[code].status).type('html').send(page);
}

/**
 * The admin router's error handler: an expired or forged form (403), a body too large (413) and any
 * other client error (400) become a refusal, the database unreachable a 503 with `Retry-After`;
 * other errors pass on.
 */
export const adminRefusals: ErrorRequestHandler = (error, req, res, next) => {
  if (isStorageFailure(error)) return answerStorageUnavailable(req, res, req.otp);
  if (error?.code === 'EBADCSRFTOKEN') return refuse(req, res, 'csrf_invalid');
  if (error?.type === 'entity.too.large') return refuse(req, res, 'payload_too_large');
  if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500) return refuse(req, res, 'invalid_request');
  next(error);
};

/** The link back to a user's page, for a refusal about one of their things. */
export function userLink(req: Request, user: UserRecord): { readonly href: string; readonly text: string } {
  return { href: userPath({ base: req.baseUrl }, user.id), text: req.otp.t('admin.backToUser', { username: user.username }) };
}
