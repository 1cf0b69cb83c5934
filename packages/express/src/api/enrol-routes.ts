import type { Request, Router } from 'express';
import { ValidationError, type AnyDevicePlugin } from '@otpkit/core';
import { summarizeDevice } from '../internal/device-summary.js';
import { ceremonyBinding } from '../internal/ceremony-binding.js';
import { eventMeta } from '../internal/event-meta.js';
import { ApiError } from './api-error.js';
import { parseBody, requireFactorChange } from './api-request.js';
import type { ApiSetup } from './api-setup.js';
import { enrolBody } from './schemas.js';
import { challengeRefusal } from './send-challenge.js';

/** The fields every enrolment takes, whatever the plugin. */
const COMMON_FIELDS: readonly string[] = ['name', 'purpose'];

/**
 * The enrolment input of a request: `name` and `purpose`, checked here (core checks that the
 * plugin allows the purpose), and the fields the plugin lets users
 * give (`enrolFields`: an address, a phone number), passed on for the plugin to check. Any other
 * field (a key to import, a code of one's choosing) is the application's and its operators' only.
 * A plugin that binds its ceremonies to the session (WebAuthn) gets the session's binding.
 * @throws ValidationError naming the fields that are invalid or not taken (a 400 `invalid_request`).
 */
function enrolInput(req: Request, plugin: AnyDevicePlugin): Record<string, unknown> {
  const { name, purpose } = parseBody(enrolBody, req);
  const body = req.body as Record<string, unknown> | undefined;
  const fields = Object.keys(body ?? {});
  const refused = fields.filter((field) => !COMMON_FIELDS.includes(field) && !plugin.enrolFields.includes(field));
  if (refused.length > 0) throw new ValidationError(`Invalid fields: ${refused.join(', ')}`, { field: refused[0] });
  const own = fields.filter((field) => !COMMON_FIELDS.includes(field)).map((field) => [field, body![field]]);
  const bound = plugin.bindsSession ? { session: ceremonyBinding(req) } : {};
  return { ...Object.fromEntries(own), ...(name === undefined ? {} : { name }), ...(purpose === undefined ? {} : { purpose }), ...bound };
}

/**
 * `POST /devices/:type`: enrols a device of any plugin configured on `otp` (else 404 `not_found`),
 * for the `purpose` given (else the plugin's default; one it does not allow is a 400) through `otp.enroll`, which discards the user's abandoned enrolment of that type, re-enrols a
 * plugin's one device per user (backup codes: new codes) and sends an interactive device's first
 * code (in the request's locale). The answer (201) is the device and what its plugin shows once, side by side: a Key-URI, QR
 * codes and the key; backup codes; where the first code went. That display is the user's to see
 * once: it never goes to events or logs. Core reports what changed (`deviceAdded`,
 * `backupCodesRegenerated`, `challengeSent`).
 */
export function enrolRoutes(router: Router, { otp, plugin }: ApiSetup): void {
  router.post('/devices/:type', async (req, res) => {
    const configured = plugin(String(req.params.type));
    if (configured === undefined) throw new ApiError('not_found');
    const input = enrolInput(req, configured);
    const userId = await requireFactorChange(otp, req);
    const outcome = await otp.enroll(configured.type, userId, input, eventMeta(req), { locale: req.otp.locale });
    if (!outcome.ok) throw challengeRefusal(otp, outcome);
    res.status(201).json({ ...outcome.display, device: summarizeDevice(outcome.device) });
  });
}
