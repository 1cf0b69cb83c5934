import { storedUserId, type EventMeta, type Otp, type UserId } from '@otpkit/core';
import { cleanOtp, type OtpFormResult } from './clean-otp.js';
import { otpFieldsSchema, parseForm } from './form-fields.js';

/**
 * The token form of an already authenticated user (django-otp's `OTPTokenForm`): fields
 * `otp_device` (a persistent id, optional), `otp_token`, and the `otp_challenge` button.
 */
export class OTPTokenForm {
  /** The parsed fields. */
  readonly data: {
    readonly device: string | undefined;
    readonly token: string | undefined;
    /** `otp_credential`: the browser's credential JSON, when a security key or passkey was used in the page. */
    readonly credential: string | undefined;
    readonly challenge: boolean;
    readonly remember: boolean;
    /** "Make this my default method": after a successful verification, the device becomes the user's preferred one. */
    readonly prefer: boolean;
  };
  readonly #binding: string | undefined;
  readonly #otp: Otp;
  readonly #userId: string;
  readonly #meta: EventMeta | undefined;

  /**
   * `body` is the submitted form (`req.body`); unexpected shapes count as empty fields. `meta`
   * (who asks) goes into the events core reports. `binding`: the session's ceremony binding, which
   * WebAuthn challenges and answers are bound to (`otpLoginRouter` passes it).
   */
  constructor(otp: Otp, userId: UserId, body: unknown, meta?: EventMeta, binding?: string) {
    this.#otp = otp;
    this.#binding = binding;
    this.#userId = storedUserId(userId);
    this.#meta = meta;
    const fields = parseForm(otpFieldsSchema, body);
    this.data = {
      device: fields.otp_device,
      token: fields.otp_token,
      credential: fields.otp_credential,
      challenge: fields.otp_challenge !== undefined,
      remember: fields.remember !== undefined,
      prefer: fields.prefer !== undefined,
    };
  }

  /** Sends the challenge, or verifies the token; see {@link OtpFormResult}. */
  validate(): Promise<OtpFormResult> {
    return cleanOtp(this.#otp, this.#userId, { ...this.data, binding: this.#binding }, this.#meta);
  }
}
