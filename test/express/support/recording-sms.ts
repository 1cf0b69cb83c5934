import { DeliveryError } from '@otpkit/core';
import type { SmsProvider } from '@otpkit/sms';

/** An SmsProvider that keeps what it sends in memory, and refuses one number like a gateway would. */
export class RecordingSmsProvider implements SmsProvider {
  readonly sent: { to: string; text: string }[] = [];
  readonly refusedNumber: string;

  constructor(refusedNumber = '+15005550001') {
    this.refusedNumber = refusedNumber;
  }

  async send(to: string, text: string): Promise<void> {
    if (to === this.refusedNumber) throw new DeliveryError('The gateway refused the number');
    this.sent.push({ to, text });
  }

  /** The 6-digit code in the newest text to `to`. */
  lastCodeTo(to: string): string {
    const text = this.sent.findLast((message) => message.to === to)?.text ?? '';
    const code = /\b(\d{6})\b/.exec(text)?.[1];
    if (code === undefined) throw new Error(`no code was texted to ${to}`);
    return code;
  }
}
