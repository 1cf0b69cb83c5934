import type { ErrorRequestHandler, Request } from 'express';
import type { MessageKey, Messages } from '@otpkit/core';
import { requestText } from '../internal/request-text.js';
import { answerStorageUnavailable } from '../internal/storage-unavailable.js';
import { isStorageFailure } from '../http-errors.js';
import { messagePage } from './message-page.js';

/** Where a refusal page links back to: a path and the catalog key of the link's text. */
export interface BackLink {
  readonly href: string;
  readonly text: MessageKey;
}

/**
 * The error handler of otpkit's pages: an expired or forged form (403), a body too large (413) and
 * any other client error (400) become a page in the request's locale with a link back (`back`), the
 * database unreachable a 503 with `Retry-After`; other errors pass on.
 */
export function pageRefusals(messages: Messages, back: (req: Request) => BackLink): ErrorRequestHandler {
  return (error, req, res, next) => {
    const text = requestText(req, messages);
    if (isStorageFailure(error)) return answerStorageUnavailable(req, res, text);
    const { locale, t } = text;
    const page = (status: number, title: MessageKey, message: MessageKey) => {
      const link = back(req);
      res.status(status).type('html').send(messagePage(locale, t(title), t(message), { href: link.href, text: t(link.text) }));
    };
    if (error?.code === 'EBADCSRFTOKEN') return page(403, 'page.formExpired.title', 'error.csrf_invalid');
    if (error?.type === 'entity.too.large') return page(413, 'page.tooLarge.title', 'error.payload_too_large');
    if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500) return page(400, 'page.badRequest.title', 'error.invalid_request');
    next(error);
  };
}
