/**
 * @otpkit/sms: SMS devices: a single-use token sent through an SmsProvider (Twilio REST, console).
 * @packageDocumentation
 */
export { sms, type SmsDeviceInput } from './sms.js';
export { SMSDevice } from './sms-device.js';
export { normalizePhoneNumber } from './phone-number.js';
export { textThroughPlugin } from './plugin-text.js';
export type { SmsOptions } from './options.js';
export type { SmsProvider } from './sms-provider.js';
export { TwilioProvider, type TwilioProviderOptions } from './twilio-provider.js';
export { ConsoleProvider, type ConsoleProviderOptions } from './console-provider.js';
