/**
 * @otpkit/totp: TOTP devices (RFC 6238): authenticator apps, otpauth Key-URIs and QR codes.
 * @packageDocumentation
 */
export { totp, type TotpDeviceInput } from './totp.js';
export { TOTPDevice, type TotpEnrolment } from './totp-device.js';
export type { TotpImportState } from './totp-state.js';
export type { TotpOptions } from './options.js';
export type { QrFormat } from './qr-code.js';
