/**
 * @otpkit/cli: The otpkit command-line tool: migrations, backup codes, devices.
 * @packageDocumentation
 */
export {};
