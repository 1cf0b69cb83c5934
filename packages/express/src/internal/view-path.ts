import type { Request } from 'express';

/** The path of one of the login views' pages under the router's mount point (`/account/verify`), with `next` when given. */
export function viewPath(req: Request, view: string, next?: string): string {
  return `${req.baseUrl}/${view}${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`;
}
