import { DeliveryError, describeRefusal, servesUse, type Device, type EventMeta, type Otp, type Translator } from '@otpkit/core';
import { bindingContext, bindToken } from '../internal/ceremony-binding.js';
import { formError, type OtpFormError } from './form-errors.js';
import { challengeFormRefusal, verifyFormRefusal } from './form-refusal.js';

/** The second-factor fields of a form, already parsed. */
export interface OtpFields {
  /** The chosen device's persistent id; empty tries every confirmed second-factor device (`matchToken`). */
  readonly device?: string | undefined;
  readonly token?: string | undefined;
  /** The browser's credential JSON (a security key or passkey used in the page), which takes the place of a token. */
  readonly credential?: string | undefined;
  /** The "send me a code" button was pressed (for a device answered in the browser: "use this key"). */
  readonly challenge?: boolean | undefined;
  /** The session's ceremony binding, passed with the ceremonies of plugins that bind them (WebAuthn). */
  readonly binding?: string | undefined;
  /** The locale of the errors and of a code sent (a tag of `otp.messages`). @default otp.messages.defaultLocale */
  readonly locale?: string | undefined;
}

/** A challenge the browser must answer: the device and what `navigator.credentials.get` needs. */
export interface BrowserChallenge {
  readonly device: string;
  readonly request: Readonly<Record<string, unknown>>;
}

/** The outcome of a token form: the verified device, or errors (a challenge's message is one). */
export type OtpFormResult =
  | { readonly ok: true; readonly device: Device }
  | {
      readonly ok: false;
      readonly errors: readonly OtpFormError[];
      readonly status: 200 | 400 | 429 | 502;
      /** A challenge issued for a device answered in the browser, for the page to run. */
      readonly browserChallenge?: BrowserChallenge;
    };

/**
 * django-otp's `clean_otp`: sends a challenge when asked, else verifies the token against the
 * chosen device (or every confirmed second-factor device), else asks for a token. Expected failures are errors
 * with stable codes, never exceptions; core reports what happened, with `meta`.
 */
export async function cleanOtp(otp: Otp, userId: string, fields: OtpFields, meta: EventMeta | undefined): Promise<OtpFormResult> {
  const text = otp.messages.translator(fields.locale);
  const chosen = fields.device ? await chosenDevice(otp, userId, fields.device) : null;
  if (fields.challenge) return challenge(otp, userId, chosen ?? (await onlyInteractiveDevice(otp, userId)), fields.binding ?? null, text, meta);
  const binding = fields.binding ?? null;
  const token = fields.credential === undefined ? fields.token : bindToken(otp, fields.credential, chosen?.deviceType ?? null, binding);
  if (!token) return { ok: false, status: 400, errors: [formError(text.t, 'token_required', {}, 'otp_token')] };
  const outcome = chosen === null ? await otp.match(userId, token, meta) : await otp.verify(userId, chosen.persistentId, token, meta);
  if (outcome.ok) return { ok: true, device: outcome.device };
  const { status, error } = verifyFormRefusal(text.t, describeRefusal(outcome, otp.clock()));
  return { ok: false, status, errors: [error] };
}

/** The user's confirmed second-factor device with this persistent id, or `null` (a `login`-only device is none). */
export async function chosenDevice(otp: Otp, userId: string, persistentId: string): Promise<Device | null> {
  const device = await otp.deviceFromPersistentId(persistentId);
  return device !== null && device.confirmed && device.userId === userId && servesUse(device.purpose, 'second-factor') ? device : null;
}

/** The user's one confirmed interactive second-factor device, when there is exactly one (so "send me a code" needs no choice). */
async function onlyInteractiveDevice(otp: Otp, userId: string): Promise<Device | null> {
  const interactive = (await otp.devicesForUser(userId, { confirmed: true, purpose: 'second-factor' })).filter((device) => device.isInteractive());
  return interactive.length === 1 ? interactive[0]! : null;
}

/** Sends a challenge to `device` (with the session's binding and `text`'s locale); its message, or why not, is a form error in that locale. */
async function challenge(otp: Otp, userId: string, device: Device | null, binding: string | null, { locale, t }: Translator, meta: EventMeta | undefined): Promise<OtpFormResult> {
  if (device === null || !device.isInteractive()) return { ok: false, status: 400, errors: [formError(t, 'not_interactive', {}, 'otp_device')] };
  try {
    const outcome = await otp.generateChallenge(userId, device.persistentId, { ...bindingContext(otp, device, binding), locale }, meta);
    if (outcome.ok) {
      const errors = [formError(t, 'challenge_message', { message: outcome.message })];
      if (outcome.request === undefined) return { ok: false, status: 200, errors };
      return { ok: false, status: 200, errors, browserChallenge: { device: device.persistentId, request: outcome.request } };
    }
    const { status, error } = challengeFormRefusal(t, describeRefusal(outcome, otp.clock()));
    return { ok: false, status, errors: [error] };
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    // The delivery's own message is for the operators (and in English): the user is told it failed, in their language.
    return { ok: false, status: 502, errors: [formError(t, 'challenge_exception')] };
  }
}
