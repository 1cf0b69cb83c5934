import { ConfigurationError } from '@otpkit/core';
import { E164 } from './phone-number.js';

/** The Twilio form field that names the sender, and its value. */
export interface TwilioSender {
  readonly field: 'From' | 'MessagingServiceSid';
  readonly value: string;
}

/** 1 to 11 letters, digits and spaces with at least one letter (Twilio's rule for sender ids). */
const ALPHANUMERIC_ID = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/**
 * Reads TwilioProvider's `from`: an E.164 number (`+15005550006`), an alphanumeric sender id
 * (`Acme`), or a Messaging Service SID (`MG` and 32 hex digits), sent as `MessagingServiceSid`.
 * @throws ConfigurationError naming the accepted forms.
 */
export function twilioSender(from: unknown): TwilioSender {
  if (typeof from === 'string' && MESSAGING_SERVICE_SID.test(from)) return { field: 'MessagingServiceSid', value: from };
  if (typeof from === 'string' && (E164.test(from) || ALPHANUMERIC_ID.test(from))) return { field: 'From', value: from };
  throw new ConfigurationError(
    `TwilioProvider: from must be an E.164 number (+15005550006), an alphanumeric sender id of 1 to 11 letters, digits or spaces with at least one letter (Acme), or a Messaging Service SID (MG and 32 hex digits); got ${JSON.stringify(from)}`,
  );
}
