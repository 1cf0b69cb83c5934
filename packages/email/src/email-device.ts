import { DeliveryError, SIDE_CHANNEL_COLUMNS, SideChannelDevice, type ChallengeContext, type RescueChannel } from '@otpkit/core';
import { normalizeEmailAddress } from './email-address.js';
import type { ResolvedEmailOptions } from './options.js';
import { codeTemplates, composeMail, sendMail } from './mail-message.js';
import type { TemplateValues } from './template.js';

/**
 * A device that mails a single-use token: to its own `email`, or else to the user's address from
 * the `users` directory. Token expiry, single use and the cooldown come from `SideChannelDevice`.
 * Its own, confirmed address can carry an account rescue ({@link RescueChannel}).
 */
export class EmailDevice extends SideChannelDevice<ResolvedEmailOptions> implements RescueChannel {
  static override readonly deviceType = 'email';
  static override tableName = 'otp_email_device';
  static override readonly columns = { ...SIDE_CHANNEL_COLUMNS, email: 'text?' } as const;

  /** The address tokens go to, or `null` to use the user's email. */
  declare email: string | null;

  /**
   * The device's own address, else the user's email, or `null` when neither is set or the value is
   * not exactly one address (a users-table value such as `a@evil,victim`).
   */
  async destination(): Promise<string | null> {
    return normalizeEmailAddress(this.email ?? (await this.runtime.users.findById(this.userId))?.email);
  }

  /**
   * Mails `token`. The challenge context fills the templates' placeholders; its keys `subject`,
   * `text` and `html` replace the configured templates for this message, and its `locale` picks
   * the language of the catalog's (`email.code.*`) where neither gives one.
   * @throws DeliveryError when there is no address, or not exactly one (a users-table value such as
   * `a@evil,victim`), or the transport fails (the cause is kept).
   */
  async deliver(token: string, context: ChallengeContext): Promise<string> {
    const { options } = this;
    const to = await this.destination();
    if (to === null) throw new DeliveryError('The device has no email address');
    const { subject, text, html, ...extra } = context;
    const { t } = this.runtime.messages.translator(context.locale);
    const given = { ...(subject === undefined ? {} : { subject: String(subject) }), ...(text === undefined ? {} : { text: String(text) }), ...(html === undefined ? {} : { html: String(html) }) };
    const values: TemplateValues = { ...extra, token, validMinutes: Math.ceil(options.validitySeconds / 60), deviceName: this.name };
    await sendMail(options, composeMail(options, to, codeTemplates(options, given, t), values));
    return t('email.sent');
  }

  /**
   * The address this device confirmed at enrolment (its own `email`), or `null` when the device is
   * unconfirmed or follows the user's address (which may have changed since). Account rescue sends
   * only to such an address.
   */
  rescueAddress(): string | null {
    return this.confirmed && typeof this.email === 'string' && this.email !== '' ? this.email : null;
  }

  /**
   * Mails a plain-text notice (no token) to {@link EmailDevice.rescueAddress}: that rescue was
   * used, say. @throws DeliveryError when there is no confirmed address or the transport fails.
   */
  async notice(subject: string, text: string): Promise<void> {
    const to = this.rescueAddress();
    if (to === null) throw new DeliveryError('The device has no confirmed address of its own');
    await sendMail(this.options, { to, subject, text });
  }
}
