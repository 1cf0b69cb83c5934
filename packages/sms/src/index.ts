/**
 * @otpkit/sms: SMS devices: a single-use token sent through an SmsProvider (Twilio REST, console).
 * @packageDocumentation
 */
export {};
