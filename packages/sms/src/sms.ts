import { defineDevicePlugin, type DevicePlugin } from '@otpkit/core';
import { smsMigrations } from './migrations.js';
import { resolveSmsOptions, type ResolvedSmsOptions, type SmsOptions } from './options.js';
import { e164Number } from './phone-number.js';
import { SMSDevice } from './sms-device.js';

/**
 * The SMS device plugin: a 6-digit token by SMS, valid 300 s, single use, 60 s between sends.
 * A new device needs a `number` in E.164 form (separators are tolerated: `+1 415 555-0100`).
 * @throws ConfigurationError for bad options.
 */
export function sms(options: SmsOptions): DevicePlugin<SMSDevice, ResolvedSmsOptions> {
  const resolved = resolveSmsOptions(options);
  return defineDevicePlugin({
    type: 'sms',
    model: SMSDevice,
    options: resolved,
    throttle: resolved.throttle,
    migrations: smsMigrations,
    defaultName: 'Phone',
    initialize: (input) => ({ number: e164Number(input.number), token: null, validUntil: null, lastGeneratedAt: null }),
  });
}
