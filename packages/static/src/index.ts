/**
 * @otpkit/static: Static backup codes, stored hashed, single use.
 * @packageDocumentation
 */
export {};
