/**
 * @otpkit/static: Static backup codes, stored hashed, single use.
 * @packageDocumentation
 */
export { staticTokens } from './static-tokens.js';
export { StaticDevice, type BackupCodesEnrolment } from './static-device.js';
export type { StaticTokensOptions } from './options.js';
export { addStaticToken } from './add-static-token.js';
export type { StaticImportState } from './restored-codes.js';
