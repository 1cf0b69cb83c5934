/**
 * @otpkit/hotp: HOTP devices (RFC 4226): counter-based hardware and software tokens.
 * @packageDocumentation
 */
export { hotp, type HotpDeviceInput } from './hotp.js';
export { HOTPDevice } from './hotp-device.js';
export type { HotpOptions } from './options.js';
