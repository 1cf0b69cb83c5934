import { DeliveryError, describeRefusal, type Device, type EventMeta, type Otp } from '@otpkit/core';
import { formError, type OtpFormError } from './form-errors.js';
import { challengeFormRefusal, verifyFormRefusal } from './form-refusal.js';

/** The second-factor fields of a form, already parsed. */
export interface OtpFields {
  /** The chosen device's persistent id; empty tries every confirmed device (`matchToken`). */
  readonly device?: string | undefined;
  readonly token?: string | undefined;
  /** The "send me a code" button was pressed. */
  readonly challenge?: boolean | undefined;
}

/** The outcome of a token form: the verified device, or errors (a challenge's message is one). */
export type OtpFormResult =
  | { readonly ok: true; readonly device: Device }
  | { readonly ok: false; readonly errors: readonly OtpFormError[]; readonly status: 200 | 400 | 429 | 502 };

/**
 * django-otp's `clean_otp`: sends a challenge when asked, else verifies the token against the
 * chosen device (or every confirmed device), else asks for a token. Expected failures are errors
 * with stable codes, never exceptions; core reports what happened, with `meta`.
 */
export async function cleanOtp(otp: Otp, userId: string, fields: OtpFields, meta: EventMeta | undefined): Promise<OtpFormResult> {
  const chosen = fields.device ? await chosenDevice(otp, userId, fields.device) : null;
  if (fields.challenge) return challenge(otp, userId, chosen ?? (await onlyInteractiveDevice(otp, userId)), meta);
  if (!fields.token) return { ok: false, status: 400, errors: [formError('token_required', {}, 'otp_token')] };
  const outcome = chosen === null ? await otp.match(userId, fields.token, meta) : await otp.verify(userId, chosen.persistentId, fields.token, meta);
  if (outcome.ok) return { ok: true, device: outcome.device };
  const { status, error } = verifyFormRefusal(describeRefusal(outcome, otp.clock()));
  return { ok: false, status, errors: [error] };
}

/** The user's confirmed device with this persistent id, or `null`. */
export async function chosenDevice(otp: Otp, userId: string, persistentId: string): Promise<Device | null> {
  const device = await otp.deviceFromPersistentId(persistentId);
  return device !== null && device.confirmed && device.userId === userId ? device : null;
}

/** The user's one confirmed interactive device, when there is exactly one (so "send me a code" needs no choice). */
async function onlyInteractiveDevice(otp: Otp, userId: string): Promise<Device | null> {
  const interactive = (await otp.devicesForUser(userId, { confirmed: true })).filter((device) => device.isInteractive());
  return interactive.length === 1 ? interactive[0]! : null;
}

async function challenge(otp: Otp, userId: string, device: Device | null, meta: EventMeta | undefined): Promise<OtpFormResult> {
  if (device === null || !device.isInteractive()) return { ok: false, status: 400, errors: [formError('not_interactive', {}, 'otp_device')] };
  try {
    const outcome = await otp.generateChallenge(userId, device.persistentId, {}, meta);
    if (outcome.ok) return { ok: false, status: 200, errors: [formError('challenge_message', { 0: outcome.message })] };
    const { status, error } = challengeFormRefusal(describeRefusal(outcome, otp.clock()));
    return { ok: false, status, errors: [error] };
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    return { ok: false, status: 502, errors: [formError('challenge_exception', { 0: error.message })] };
  }
}
