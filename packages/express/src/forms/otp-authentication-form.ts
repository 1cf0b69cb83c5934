import { storedUserId, type Device, type EventMeta, type Otp } from '@otpkit/core';
import { z } from 'zod';
import { cleanOtp } from './clean-otp.js';
import { formError, type OtpFormError } from './form-errors.js';
import { otpFieldsSchema, parseForm, textField } from './form-fields.js';
import { isStorageFailure } from '../http-errors.js';

/** Checks a username and password; returns the user's id or `null`. */
export type Authenticate = (username: string, password: string) => Promise<string | number | null> | string | number | null;

/** The outcome of {@link OTPAuthenticationForm.validate}. */
export type OtpAuthenticationResult =
  | {
      readonly ok: true;
      readonly userId: string;
      /** The verified device, or `null` when the user has none or (two steps) gave no token yet. */
      readonly device: Device | null;
      /** The user has a confirmed device but no token was given (two-step login continues). */
      readonly needsToken: boolean;
    }
  | {
      readonly ok: false;
      /** The user, when the password was right. */
      readonly userId: string | null;
      readonly errors: readonly OtpFormError[];
      readonly status: 200 | 400 | 429 | 502;
    };

const schema = otpFieldsSchema.extend({ username: textField(150), password: textField(1024) });

/**
 * The login form (django-otp's `OTPAuthenticationForm`): `username`, `password`, `otp_device`,
 * `otp_token` and the `otp_challenge` button. The password is checked first; then a user with a
 * confirmed device must give a token (or, with `tokenOptional`, may give it in a second step).
 * With `conceal` (a one-page login) a refusal never tells whether the password was right.
 */
export class OTPAuthenticationForm {
  /** The parsed fields; the password is kept only to check it, never rendered. */
  readonly data: z.infer<typeof schema>;
  readonly #otp: Otp;
  readonly #authenticate: Authenticate;
  readonly #meta: EventMeta | undefined;

  /** `body` is the submitted form (`req.body`); `meta` (who asks) goes into the events core reports. */
  constructor(otp: Otp, authenticate: Authenticate, body: unknown, meta?: EventMeta) {
    this.#otp = otp;
    this.#authenticate = authenticate;
    this.#meta = meta;
    this.data = parseForm(schema, body);
  }

  /**
   * Checks the password, then the second factor. `locale` (a tag of `otp.messages`, the request's)
   * is the language of the errors and of a code sent. @default otp.messages.defaultLocale
   *
   * `conceal` (one-page login): a wrong password, a missing or wrong token and a throttled device
   * all give the same refusal (`invalid_credentials`, 400, no user); no challenge is sent and the
   * token is tried on every confirmed second-factor device, so nothing in the answer depends on the
   * password being right (a database that cannot be reached after a right password is that refusal
   * too, not a 503). @default false
   */
  async validate({ tokenOptional = false, conceal = false, locale }: { tokenOptional?: boolean; conceal?: boolean; locale?: string } = {}): Promise<OtpAuthenticationResult> {
    const { username, password, otp_token } = this.data;
    const { t } = this.#otp.messages.translator(locale);
    const missing: OtpFormError[] = [];
    if (!username) missing.push(formError(t, 'field_required', {}, 'username'));
    if (!password) missing.push(formError(t, 'field_required', {}, 'password'));
    if (missing.length > 0) return { ok: false, userId: null, errors: missing, status: 400 };
    const concealed = { ok: false, userId: null, errors: [formError(t, 'invalid_credentials')], status: 400 } as const;
    const found = await this.#authenticate(username!, password!);
    if (found === null || found === undefined) return conceal ? concealed : { ok: false, userId: null, errors: [formError(t, 'invalid_login')], status: 400 };
    const userId = storedUserId(found);
    if (conceal) return this.#secondFactorConcealed(userId, otp_token, locale, concealed);
    if (!(await this.#otp.userHasDevice(userId))) return { ok: true, userId, device: null, needsToken: false };
    const challenge = this.data.otp_challenge !== undefined;
    if (tokenOptional && !otp_token && !challenge) return { ok: true, userId, device: null, needsToken: true };
    const result = await cleanOtp(this.#otp, userId, { device: this.data.otp_device, token: otp_token, challenge, locale }, this.#meta);
    return result.ok ? { ok: true, userId, device: result.device, needsToken: false } : { ...result, userId };
  }

  /**
   * The one-page second factor, after a right password: signed in with the token (or with none when
   * the user has no device), else `concealed`. A database that cannot be reached is `concealed` too,
   * not a 503: only a right password reaches the database, so an outage's answer would tell it.
   */
  async #secondFactorConcealed(userId: string, token: string | undefined, locale: string | undefined, concealed: OtpAuthenticationResult): Promise<OtpAuthenticationResult> {
    try {
      if (!(await this.#otp.userHasDevice(userId))) return { ok: true, userId, device: null, needsToken: false };
      const result = await cleanOtp(this.#otp, userId, { token, challenge: false, locale }, this.#meta);
      return result.ok ? { ok: true, userId, device: result.device, needsToken: false } : concealed;
    } catch (error) {
      if (isStorageFailure(error)) return concealed;
      throw error;
    }
  }
}
