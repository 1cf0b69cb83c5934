import type { ErrorRequestHandler } from 'express';

const PAGE = (title: string, message: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · otpkit demo</title></head><body><h1>${title}</h1><p>${message}</p><p><a href="/">Home</a></p></body></html>`;

/** Fixed texts by status: an error's own message may echo input or internals, so none is shown. */
const CLIENT_ERRORS: Readonly<Record<number, readonly [string, string]>> = {
  403: ['Form expired', 'The form expired; go back, reload and try again.'],
  404: ['Not found', 'There is no such page.'],
  413: ['Too large', 'The request is too large.'],
};

/**
 * The demo's last error handler: a 4xx page with a fixed text for client errors (bad URL encoding,
 * malformed or oversized bodies, a refused CSRF token), a generic 500 page otherwise, logged on the
 * server. Never a stack or an error message, whatever `NODE_ENV` says.
 */
export function demoErrorHandler(log: (error: unknown) => void = console.error): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const declared = Number(error?.status ?? error?.statusCode);
    const csrf = error?.code === 'EBADCSRFTOKEN';
    const status = csrf ? 403 : declared >= 400 && declared < 500 ? declared : 500;
    if (status === 500) log(error);
    const [title, message] = CLIENT_ERRORS[status] ?? (status === 500 ? ['Something went wrong', 'Please try again later.'] : ['Bad request', 'The request could not be understood.']);
    res.status(status).set('Cache-Control', 'no-store').type('html').send(PAGE(title, message));
  };
}
