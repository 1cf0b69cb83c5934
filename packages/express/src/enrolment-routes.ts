import type { Request, RequestHandler, Response, Router } from 'express';
import { describeRefusal, LOW_REMAINING_TOKENS, servesUse, type AnyDevicePlugin, type Device, type Otp } from '@otpkit/core';
import { z } from 'zod';
import { formError, type OtpFormError } from './forms/form-errors.js';
import { parseForm, textField } from './forms/form-fields.js';
import { challengeFormRefusal, verifyFormRefusal } from './forms/form-refusal.js';
import { BACKUP_CODES_TYPE, backupCodesRemaining } from './internal/backup-codes.js';
import type { BrowserAssets } from './internal/browser-assets.js';
import { boundToken, ceremonyBinding } from './internal/ceremony-binding.js';
import { contextOf } from './internal/context.js';
import { eventMeta } from './internal/event-meta.js';
import { viewPath } from './internal/view-path.js';
import { policyFacts, requiredUserFacts } from './policy/policy-facts.js';
import { backupCodeUsedPage, backupCodesPage } from './views/backup-codes-pages.js';
import { appSetupPage, enrolChoicePage, keySetupPage, type EnrolMethod, type EnrolReason } from './views/enrol-pages.js';

/** What the enrolment pages share with the rest of the login views. */
export interface LoginViewsKit {
  readonly otp: Otp;
  /** csrf-sync's check of the authenticated forms. */
  readonly csrf: RequestHandler;
  /** csrf-sync's token for a page's forms. */
  readonly csrfToken: (req: Request) => string;
  readonly assets: BrowserAssets;
  /** The request's safe `next` (the router's `defaultNext` otherwise). */
  readonly nextOf: (req: Request) => string;
}

const DAY_MS = 86_400_000;
const enrolForm = z.object({ method: textField(32) });
const confirmForm = z.object({ device: textField(64), otp_token: textField(128), otp_credential: textField(16 * 1024) });

/**
 * The methods the enrol page offers: second-factor types the policy accepts (every type without a
 * policy) that can be set up in a page: an authenticator app (`totp`) and the devices answered in
 * the browser by their plugin's script (WebAuthn).
 */
function enrolMethods(req: Request, assets: BrowserAssets): EnrolMethod[] {
  const { otp, policy } = contextOf(req);
  return otp.plugins.flatMap((plugin): EnrolMethod[] => {
    if (!plugin.purposes.some((purpose) => servesUse(purpose, 'second-factor'))) return [];
    if (policy !== null && !policy.satisfiedBy.has(plugin.type)) return [];
    if (plugin.type === 'totp') return [{ type: plugin.type, kind: 'app' }];
    return assets.has(plugin.type) ? [{ type: plugin.type, kind: 'browser' }] : [];
  });
}

/**
 * Whether the user may change the account's factors here (the JSON API's rule): anyone while the
 * account has no confirmed device, else only a session verified recently with a token; `verify`
 * when a second-factor device can give that verification, `impossible` when none can.
 */
async function factorChange(otp: Otp, req: Request, userId: string): Promise<'allowed' | 'verify' | 'impossible'> {
  if (req.otp.isRecentlyVerified()) return 'allowed';
  const devices = await otp.devicesForUser(userId, { confirmed: true });
  if (devices.length === 0) return 'allowed';
  return devices.some((device) => servesUse(device.purpose, 'second-factor')) ? 'verify' : 'impossible';
}

/** Why the user is on the enrol page, from the policy: required now, within a grace period, or by choice. */
async function enrolReason(req: Request): Promise<EnrolReason> {
  const facts = await policyFacts(req);
  if (facts.mustEnrol) return { kind: 'required' };
  if (facts.graceEndsAt === null) return { kind: 'optional' };
  return { kind: 'grace', daysLeft: Math.max(1, Math.ceil((facts.graceEndsAt - contextOf(req).otp.clock()) / DAY_MS)) };
}

/** The new codes of a backup-codes enrolment's display. */
function codesOf(display: object): string[] {
  const codes: unknown = (display as { codes?: unknown }).codes;
  return Array.isArray(codes) ? codes.filter((code): code is string => typeof code === 'string') : [];
}

/** The enrolment input of a method: the plugin's default purpose when it serves as a second factor, and the session's binding for WebAuthn. */
function enrolInput(req: Request, plugin: AnyDevicePlugin): Record<string, unknown> {
  return {
    ...(servesUse(plugin.defaultPurpose, 'second-factor') ? {} : { purpose: 'second-factor' }),
    ...(plugin.bindsSession ? { session: ceremonyBinding(req) } : {}),
  };
}

/**
 * After the password step: a user the policy requires with no satisfying device goes to the enrol
 * page first (within the grace period it offers "Remind me later", which continues to `next`).
 */
export async function enrolmentStep(req: Request, next: string): Promise<string> {
  const facts = await requiredUserFacts(req);
  const enrol = viewPath(req, 'enrol');
  if (facts === null || facts.satisfied || next === enrol || next.startsWith(`${enrol}?`)) return next;
  return viewPath(req, 'enrol', next);
}

/** After a verification with a backup code: the page that says how many remain (and warns when few do). */
export function backupCodeStep(req: Request, next: string): string {
  return req.otp.device?.deviceType === BACKUP_CODES_TYPE ? viewPath(req, 'backup-codes', next) : next;
}

/**
 * The enrolment pages of the login views: `GET|POST /enrol` (choose a method, then set it up:
 * an authenticator app's QR code and key, or a security key's registration in the browser),
 * `POST /enrol/confirm` (the first code verifies the session; backup codes are then made and shown
 * once when `@otpkit/static` is configured and the user has none), `POST /enrol/done`,
 * `GET|POST /backup-codes` (after a sign-in with a backup code: how many remain, a warning at
 * `LOW_REMAINING_TOKENS` (2) or fewer, new codes) and, on `GET /verify`, a user with no second-factor
 * device is sent to enrol rather than to a token form they cannot fill. Changing the account's
 * factors follows the JSON API's rule (free for a first device, else a recent verification).
 */
export function enrolmentRoutes(router: Router, kit: LoginViewsKit): void {
  const { otp, csrf, csrfToken, assets, nextOf } = kit;
  const plugins = new Map(otp.plugins.map((plugin) => [plugin.type, plugin]));
  const send = (res: Response, status: number, page: string) => void res.status(status).type('html').send(page);
  const base = (req: Request) => ({ text: req.otp, csrfToken: csrfToken(req), next: nextOf(req) });

  /** The choice of a method, with a problem when there is one (no methods when no change can be verified here). */
  async function renderChoice(req: Request, res: Response, status: number, shown: { errors?: readonly OtpFormError[]; notice?: 'enrol.cannotVerify' | 'enrol.expired' } = {}) {
    const methods = shown.notice === 'enrol.cannotVerify' ? [] : enrolMethods(req, assets);
    const scripts = [...new Set(methods.filter((method) => method.kind === 'browser').map((method) => assets.url(req, method.type)))];
    const page = enrolChoicePage({
      ...base(req),
      action: viewPath(req, 'enrol'),
      logoutAction: viewPath(req, 'logout'),
      methods,
      reason: await enrolReason(req),
      scripts,
      errors: shown.errors ?? [],
      notice: shown.notice === undefined ? undefined : req.otp.t(shown.notice),
    });
    send(res, status, page);
  }

  function renderApp(req: Request, res: Response, status: number, device: Device, shown: { qrPng: string | null; key: string | null } | undefined, errors: readonly OtpFormError[]) {
    send(res, status, appSetupPage({
      ...base(req),
      confirmAction: viewPath(req, 'enrol/confirm'),
      choiceHref: viewPath(req, 'enrol', nextOf(req)),
      logoutAction: viewPath(req, 'logout'),
      device: device.persistentId,
      shown,
      errors,
    }));
  }

  /**
   * The user, when they may change the account's factors now; otherwise the answer is sent (to sign
   * in, to verify first, or a page saying it cannot be done here) and the result is `null`.
   */
  async function mayChangeFactors(req: Request, res: Response): Promise<string | null> {
    const userId = req.otp.userId;
    const here = viewPath(req, 'enrol', nextOf(req));
    if (userId === null) {
      res.redirect(303, viewPath(req, 'login', here));
      return null;
    }
    const change = await factorChange(otp, req, userId);
    if (change === 'allowed') return userId;
    if (change === 'verify') res.redirect(303, viewPath(req, 'verify', here));
    else await renderChoice(req, res, 403, { notice: 'enrol.cannotVerify' });
    return null;
  }

  /** Backup codes right after the first device, when the plugin is configured and the user has none yet (needs the fresh verification). */
  async function offerBackupCodes(req: Request, userId: string): Promise<string[] | null> {
    if (!plugins.has(BACKUP_CODES_TYPE) || !req.otp.isRecentlyVerified()) return null;
    const devices = await otp.devicesForUser(userId, { confirmed: true });
    if (devices.some((device) => device.deviceType === BACKUP_CODES_TYPE)) return null;
    const outcome = await otp.enroll(BACKUP_CODES_TYPE, userId, {}, eventMeta(req));
    return outcome.ok ? codesOf(outcome.display) : null;
  }

  router.get('/verify', async (req, res, pass) => {
    if (req.otp.userId === null || (await policyFacts(req)).hasSecondFactor || enrolMethods(req, assets).length === 0) return pass();
    res.redirect(303, viewPath(req, 'enrol', nextOf(req)));
  });

  router.get('/enrol', async (req, res) => {
    if ((await mayChangeFactors(req, res)) !== null) await renderChoice(req, res, 200);
  });

  router.post('/enrol', csrf, async (req, res) => {
    const userId = await mayChangeFactors(req, res);
    if (userId === null) return;
    const { method: type } = parseForm(enrolForm, req.body);
    const method = enrolMethods(req, assets).find((offered) => offered.type === type);
    if (method === undefined) return renderChoice(req, res, 400, { errors: [formError(req.otp.t, 'field_required')] });
    const outcome = await otp.enroll(method.type, userId, enrolInput(req, plugins.get(method.type)!), eventMeta(req), { locale: req.otp.locale });
    if (!outcome.ok) {
      const { status, error } = challengeFormRefusal(req.otp.t, describeRefusal(outcome, otp.clock()));
      return renderChoice(req, res, status, { errors: [error] });
    }
    const display = outcome.display as { qrPng?: unknown; secret?: unknown; publicKey?: unknown };
    if (method.kind === 'app') {
      const qrPng = typeof display.qrPng === 'string' && display.qrPng.startsWith('data:image/png;base64,') ? display.qrPng : null;
      return renderApp(req, res, 200, outcome.device, { qrPng, key: typeof display.secret === 'string' ? display.secret : null }, []);
    }
    send(res, 200, keySetupPage({
      ...base(req),
      confirmAction: viewPath(req, 'enrol/confirm'),
      choiceHref: viewPath(req, 'enrol', nextOf(req)),
      logoutAction: viewPath(req, 'logout'),
      device: outcome.device.persistentId,
      publicKey: (display.publicKey ?? {}) as object,
      script: assets.url(req, method.type),
    }));
  });

  router.post('/enrol/confirm', csrf, async (req, res) => {
    const userId = await mayChangeFactors(req, res);
    if (userId === null) return;
    const fields = parseForm(confirmForm, req.body);
    const device = fields.device === undefined ? null : await otp.deviceFromPersistentId(fields.device);
    if (device?.confirmed === true && device.userId === userId) return res.redirect(303, nextOf(req));
    const method = enrolMethods(req, assets).find((offered) => offered.type === device?.deviceType);
    if (device === null || device.userId !== userId || method === undefined) return renderChoice(req, res, 400, { notice: 'enrol.expired' });
    const token = method.kind === 'browser' ? (fields.otp_credential ? boundToken(req, otp, fields.otp_credential, method.type) : undefined) : fields.otp_token;
    if (!token) {
      if (method.kind === 'app') return renderApp(req, res, 400, device, undefined, [formError(req.otp.t, 'token_required', {}, 'otp_token')]);
      return renderChoice(req, res, 400, { notice: 'enrol.expired' });
    }
    const outcome = await otp.confirmDevice(userId, device.persistentId, token, eventMeta(req));
    if (!outcome.ok) {
      const { status, error } = verifyFormRefusal(req.otp.t, describeRefusal(outcome, otp.clock()));
      return method.kind === 'app' ? renderApp(req, res, status, device, undefined, [error]) : renderChoice(req, res, status, { errors: [error] });
    }
    if (!req.otp.isVerified() && servesUse(outcome.device.purpose, 'second-factor')) await req.otp.login(outcome.device);
    const codes = await offerBackupCodes(req, userId);
    if (codes === null) return res.redirect(303, nextOf(req));
    send(res, 200, backupCodesPage({ ...base(req), doneAction: viewPath(req, 'enrol/done'), codes, afterEnrolment: true }));
  });

  router.post('/enrol/done', csrf, (req, res) => res.redirect(303, nextOf(req)));

  router.get('/backup-codes', async (req, res) => {
    const remaining = req.otp.device === null ? null : await backupCodesRemaining(req.otp.device);
    if (remaining === null) return res.redirect(303, nextOf(req));
    send(res, 200, backupCodeUsedPage({ ...base(req), remaining, low: remaining <= LOW_REMAINING_TOKENS, regenerateAction: viewPath(req, 'backup-codes') }));
  });

  router.post('/backup-codes', csrf, async (req, res) => {
    const userId = req.otp.userId;
    if (userId === null) return res.redirect(303, viewPath(req, 'login', nextOf(req)));
    if (!req.otp.isRecentlyVerified()) return res.redirect(303, viewPath(req, 'verify', viewPath(req, 'backup-codes', nextOf(req))));
    if (!plugins.has(BACKUP_CODES_TYPE)) return res.redirect(303, nextOf(req));
    const outcome = await otp.enroll(BACKUP_CODES_TYPE, userId, {}, eventMeta(req));
    if (!outcome.ok) return res.redirect(303, nextOf(req));
    send(res, 200, backupCodesPage({ ...base(req), doneAction: viewPath(req, 'enrol/done'), codes: codesOf(outcome.display), afterEnrolment: false }));
  });
}
