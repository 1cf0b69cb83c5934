import { DeliveryError, describeRefusal, type Device, type Otp } from '@otpkit/core';
import type { OtpEventName } from '../events.js';
import { refusalEvent } from '../internal/refusal-event.js';
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

/** What happened, for the caller to report as an event. Never carries the token. */
export interface OtpFormEvent {
  readonly type: Extract<OtpEventName, 'failed' | 'throttled' | 'challengeSent'>;
  readonly deviceId: string | null;
  readonly failureCount?: number;
  readonly lockedUntil?: number | null;
}

/** The outcome of a token form: the verified device, or errors (a challenge's message is one). */
export type OtpFormResult =
  | { readonly ok: true; readonly device: Device; readonly event?: undefined }
  | { readonly ok: false; readonly errors: readonly OtpFormError[]; readonly event?: OtpFormEvent; readonly status: 200 | 400 | 429 | 502 };

/**
 * django-otp's `clean_otp`: sends a challenge when asked, else verifies the token against the
 * chosen device (or every confirmed device), else asks for a token. Expected failures are errors
 * with stable codes, never exceptions.
 */
export async function cleanOtp(otp: Otp, userId: string, fields: OtpFields): Promise<OtpFormResult> {
  const chosen = fields.device ? await chosenDevice(otp, userId, fields.device) : null;
  if (fields.challenge) return challenge(otp, userId, chosen ?? (await onlyInteractiveDevice(otp, userId)));
  if (!fields.token) return { ok: false, status: 400, errors: [formError('token_required', {}, 'otp_token')] };
  const outcome = chosen === null ? await otp.match(userId, fields.token) : await otp.verify(userId, chosen.persistentId, fields.token);
  if (outcome.ok) return { ok: true, device: outcome.device };
  const refusal = describeRefusal(outcome, otp.clock());
  const { status, error } = verifyFormRefusal(refusal);
  return { ok: false, status, errors: [error], event: { ...refusalEvent(refusal), deviceId: chosen?.persistentId ?? null } };
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

async function challenge(otp: Otp, userId: string, device: Device | null): Promise<OtpFormResult> {
  if (device === null || !device.isInteractive()) return { ok: false, status: 400, errors: [formError('not_interactive', {}, 'otp_device')] };
  try {
    const outcome = await otp.generateChallenge(userId, device.persistentId);
    if (outcome.ok) {
      return {
        ok: false,
        status: 200,
        errors: [formError('challenge_message', { 0: outcome.message })],
        event: { type: 'challengeSent', deviceId: device.persistentId },
      };
    }
    const { status, error } = challengeFormRefusal(describeRefusal(outcome, otp.clock()));
    return { ok: false, status, errors: [error] };
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    return { ok: false, status: 502, errors: [formError('challenge_exception', { 0: error.message })] };
  }
}
