import { SIDE_CHANNEL_COLUMNS, SideChannelDevice, type ChallengeContext } from '@otpkit/core';
import type { ResolvedSmsOptions } from './options.js';
import { codeTemplate, composeText, sendText } from './text-message.js';

/**
 * A phone that receives a single-use token by SMS through the plugin's `SmsProvider`. Token
 * expiry, single use and the cooldown come from `SideChannelDevice`.
 */
export class SMSDevice extends SideChannelDevice<ResolvedSmsOptions> {
  static override readonly deviceType = 'sms';
  static override tableName = 'otp_sms_device';
  static override readonly columns = { ...SIDE_CHANNEL_COLUMNS, number: 'text' } as const;

  /** The phone number, in E.164 form (`+14155550100`). */
  declare number: string;

  /** The phone number. */
  async destination(): Promise<string | null> {
    return this.number;
  }

  /**
   * Texts `token` to the device's number. The challenge context fills the template's placeholders;
   * its key `text` replaces the template for this message, and its `locale` picks the language of
   * the catalog's (`sms.code.text`) when neither it nor the options give one.
   * @throws DeliveryError when the provider fails (the cause is kept).
   */
  async deliver(token: string, context: ChallengeContext): Promise<string> {
    const { options } = this;
    const { text, ...extra } = context;
    const { t } = this.runtime.messages.translator(context.locale);
    const values = { ...extra, token, validMinutes: Math.ceil(options.validitySeconds / 60), deviceName: this.name };
    await sendText(options, this.number, composeText(options, codeTemplate(options, text === undefined ? undefined : String(text), t), values));
    return t('sms.sent');
  }
}
