import type { Request, RequestHandler } from 'express';
import type { EventMeta } from '@otpkit/core';
import { requestInfo } from './request-info.js';

/** The entry points of this package, as events name them in `via`. */
export type ExpressVia = 'api' | 'views' | 'admin' | 'express';

const served = new WeakMap<Request, ExpressVia>();

/** A router's first handler: events of its requests name it (`'api'`: the JSON API, `'views'`: the login views, `'admin'`: the admin pages). */
export function servedBy(via: ExpressVia): RequestHandler {
  return (req, _res, next) => {
    served.set(req, via);
    next();
  };
}

/**
 * Who asks, for every otpkit call a request makes: the client's address and `User-Agent`, and the
 * entry point (`'express'` for otpMiddleware and `req.otp` in the application's own routes).
 */
export function eventMeta(req: Request): EventMeta {
  return { ...requestInfo(req), via: served.get(req) ?? 'express' };
}
