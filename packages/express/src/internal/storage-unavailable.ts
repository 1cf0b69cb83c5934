import type { Request, Response } from 'express';
import type { Translator } from '@otpkit/core';
import { sendError, STORAGE_RETRY_AFTER_SECONDS } from '../http-errors.js';
import { messagePage } from '../views/message-page.js';
import { safeNext } from './safe-next.js';
import { wantsJson } from './wants-json.js';

/**
 * Answers a request the database could not serve (a `StorageError`: unreachable, restarting, failing
 * over) with a 503 and `Retry-After`: JSON `storage_unavailable` to a client that wants JSON, else a
 * page in `text`'s language whose link tries the page again (the site's root after a form post, or
 * for a request target that is not a same-origin path).
 */
export function answerStorageUnavailable(req: Request, res: Response, text: Translator): void {
  if (wantsJson(req)) return sendError(res, text.t, 'storage_unavailable');
  const again = req.method === 'GET' || req.method === 'HEAD' ? safeNext(req.originalUrl, '/') : '/';
  res
    .status(503)
    .set('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS))
    .type('html')
    .send(messagePage(text.locale, text.t('page.unavailable.title'), text.t('error.storage_unavailable'), { href: again, text: text.t('page.unavailable.retry') }));
}
