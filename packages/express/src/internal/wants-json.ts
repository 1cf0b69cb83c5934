import type { Request } from 'express';

/** Whether the client wants JSON rather than a page: an XHR, or an Accept header preferring JSON. */
export function wantsJson(req: Request): boolean {
  if (req.xhr) return true;
  return req.accepts(['html', 'json']) === 'json';
}
