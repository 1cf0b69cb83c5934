import express, { type Request, type Response, type Router } from 'express';
import type { LinkFinishOptions, LinkFinishOutcome, Otp, SignInLike } from '@otpkit/core';
import { anonymousFormCsrf } from '../anonymous-form-csrf.js';
import { linkBrowserOf } from '../internal/ceremony-binding.js';
import { contextOf } from '../internal/context.js';
import { eventMeta } from '../internal/event-meta.js';
import { safeNext } from '../internal/safe-next.js';
import { PAGE_CSP } from '../views/layout.js';
import { linkConfirmPage } from '../views/link-confirm-page.js';
import { messagePage } from '../views/message-page.js';
import { pageRefusals } from '../views/page-refusals.js';
import type { SignInCompletion } from './sign-in-completion.js';

const FORM_LIMIT = '4kb';

/** The link's token: the path's, else the query's `token` (as `linkUrl` built it). */
function tokenOf(req: Request): unknown {
  return req.params.token ?? req.query.token;
}

/** Where to go once signed in: the link's (or the form's) same-site `next`, else `/`. */
function nextOf(req: Request): string {
  return safeNext(req.method === 'POST' ? req.body?.next : req.query.next, '/');
}

/**
 * The page a magic link opens, `GET /signin/link/{token}` (or `?token=`), and its confirmation,
 * `POST /signin/link/{token}`. In the browser that asked for the link (its session-free
 * `otpkit-browser` cookie) it signs in and redirects to `next`; in another browser it shows a page
 * asking "Sign in on this browser?" whose form (CSRF-protected, session-free) signs in there. A
 * link for a second factor verifies the browser session of its own user. An unknown, spent or
 * expired link shows `link_invalid`. Pages in the login views' style: no script, no referrer (the
 * address holds the token).
 */
export function linkPages(otp: Otp, signIn: SignInLike, completion: SignInCompletion): Router {
  const csrf = anonymousFormCsrf();
  const pages = express.Router();
  const preamble = (req: Request, res: Response, next: () => void) => {
    contextOf(req, otp);
    res.set({ 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    next();
  };
  const send = (res: Response, status: number, page: string) => void res.status(status).type('html').send(page);
  const refuse = (req: Request, res: Response) => {
    const { locale, t } = req.otp;
    send(res, 400, messagePage(locale, t('page.linkExpired.title'), t('error.link_invalid'), { href: '/', text: t('page.backToSite') }));
  };

  /** Signs in (or verifies) with an opened link and redirects; asks when another browser asked for it; refuses an invalid one. */
  async function land(req: Request, res: Response, outcome: LinkFinishOutcome, token: string): Promise<void> {
    if (!outcome.ok) {
      if (outcome.reason === 'invalid_link') return refuse(req, res);
      const action = `${req.baseUrl}/signin/link/${encodeURIComponent(token)}`;
      return send(res, 200, linkConfirmPage(req.otp, { action, csrfToken: csrf.token(req, res), next: nextOf(req) }));
    }
    if (outcome.purpose === 'login') await completion.enter(req, res, outcome);
    else if (req.otp.userId === outcome.userId) await req.otp.login(outcome.device);
    else return refuse(req, res);
    res.redirect(303, nextOf(req));
  }

  const options = (req: Request, confirm: boolean): LinkFinishOptions => ({ ...eventMeta(req), browser: linkBrowserOf(req), confirm });

  pages.get(['/signin/link', '/signin/link/:token'], preamble, async (req, res) => {
    // A HEAD (a mail scanner's look) never spends a link.
    if (req.method === 'HEAD') return void res.status(200).type('html').end();
    const token = tokenOf(req);
    await land(req, res, await signIn.finishLink(token, options(req, false)), String(token));
  });

  pages.post('/signin/link/:token', preamble, express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 10 }), csrf.protect, async (req, res) => {
    await land(req, res, await signIn.finishLink(req.params.token, options(req, true)), String(req.params.token));
  });

  pages.use(pageRefusals(otp.messages, () => ({ href: '/', text: 'page.backToSite' })));
  return pages;
}
