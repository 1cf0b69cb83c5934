import { defineDevicePlugin, type DevicePlugin } from '@otpkit/core';
import { resolveSmsOptions, type SmsOptions } from './options.js';
import { e164Number } from './phone-number.js';
import { SMSDevice } from './sms-device.js';

/** What `createDevice('sms', …)` takes besides a name: the phone number, in E.164 form. */
export interface SmsDeviceInput {
  readonly number?: string;
}

/** A new or imported device's columns: its number, checked, and no token yet. */
const smsColumns = (input: Readonly<SmsDeviceInput>) => ({ number: e164Number(input.number), token: null, validUntil: null, lastGeneratedAt: null });

/**
 * The SMS device plugin: a 6-digit token by SMS, valid 300 s, single use, 60 s between sends.
 * A new device needs a `number` in E.164 form (separators are tolerated: `+1 415 555-0100`),
 * which users may give when they enrol it themselves. An imported device (`otp.importDevices`)
 * takes the same `number`.
 * @throws ConfigurationError for bad options.
 */
export function sms(options: SmsOptions): DevicePlugin<typeof SMSDevice, SmsDeviceInput> {
  const resolved = resolveSmsOptions(options);
  return defineDevicePlugin<typeof SMSDevice, SmsDeviceInput>({
    model: SMSDevice,
    options: resolved,
    throttle: resolved.throttle,
    defaultName: 'Phone',
    enrolFields: ['number'],
    initialize: (input) => smsColumns(input),
    restore: (state) => ({ fields: smsColumns(state) }),
  });
}
