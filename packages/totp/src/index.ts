/**
 * @otpkit/totp: TOTP devices (RFC 6238): authenticator apps, otpauth Key-URIs and QR codes.
 * @packageDocumentation
 */
export {};
