/**
 * @otpkit/hotp: HOTP devices (RFC 4226): counter-based hardware and software tokens.
 * @packageDocumentation
 */
export {};
