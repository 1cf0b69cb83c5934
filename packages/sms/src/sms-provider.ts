/**
 * Sends text messages. Implement it to use any SMS gateway; otpkit ships {@link TwilioProvider}
 * and, for development, {@link ConsoleProvider}.
 */
export interface SmsProvider {
  /**
   * Sends `text` to `to` (an E.164 number, `+14155550100`). Resolve once the gateway accepted the
   * message; reject (preferably with a `DeliveryError` whose message holds neither the number nor
   * the text) when it did not.
   */
  send(to: string, text: string): Promise<void>;
}
