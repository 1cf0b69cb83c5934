import type { ErrorRequestHandler, Request } from 'express';
import { httpErrors } from '../http-errors.js';
import { messagePage } from './message-page.js';

/**
 * The error handler of otpkit's pages: an expired or forged form (403), a body too large (413) and
 * any other client error (400) become a page with a link back (`back`); other errors pass on.
 */
export function pageRefusals(back: (req: Request) => { readonly href: string; readonly text: string }): ErrorRequestHandler {
  return (error, req, res, next) => {
    const page = (status: number, title: string, message: string) => void res.status(status).type('html').send(messagePage(title, message, back(req)));
    if (error?.code === 'EBADCSRFTOKEN') return page(403, 'Form expired', httpErrors.csrf_invalid.message);
    if (error?.type === 'entity.too.large') return page(413, 'Too large', httpErrors.payload_too_large.message);
    if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500) return page(400, 'Bad request', httpErrors.invalid_request.message);
    next(error);
  };
}
