/**
 * @otpkit/email: Email devices: a single-use token sent by mail through nodemailer.
 * @packageDocumentation
 */
export {};
