import { checkOptionKeys, ConfigurationError, DeliveryError } from '@otpkit/core';
import type { SmsProvider } from './sms-provider.js';
import { twilioSender, type TwilioSender } from './twilio-sender.js';

/** The options of {@link TwilioProvider}. */
export interface TwilioProviderOptions {
  /** The Account SID (`AC…`). Required. */
  readonly accountSid: string;
  /** The Auth Token (or an API key secret used with its account). Required. */
  readonly authToken: string;
  /**
   * The sender, checked at start-up: a Twilio number in E.164 form (`+15005550006`), an
   * alphanumeric sender id (1 to 11 letters, digits or spaces, at least one letter), or a Messaging
   * Service SID (`MG` and 32 hex digits). Required.
   */
  readonly from: string;
  /**
   * The API's base URL, e.g. a regional endpoint or a local server in tests.
   * @default 'https://api.twilio.com'
   */
  readonly baseUrl?: string;
  /**
   * How long to wait for Twilio's answer, in milliseconds.
   * @default 10000
   */
  readonly timeoutMs?: number;
}

/** Every key of {@link TwilioProviderOptions}. */
const OPTION_KEYS: readonly (keyof TwilioProviderOptions)[] = ['accountSid', 'authToken', 'from', 'baseUrl', 'timeoutMs'];

function required(options: TwilioProviderOptions, field: 'accountSid' | 'authToken'): string {
  const value = options[field];
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigurationError(`TwilioProvider: ${field} is required`);
  return value;
}

/**
 * Sends SMS through Twilio's REST Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`)
 * with the global `fetch`. A refusal (any non-2xx answer) or a network failure is a
 * `DeliveryError` that states the HTTP status, never Twilio's answer body.
 */
export class TwilioProvider implements SmsProvider {
  readonly #url: string;
  readonly #authorization: string;
  readonly #from: TwilioSender;
  readonly #timeoutMs: number;

  /** @throws ConfigurationError for missing credentials, a bad sender or a bad base URL. */
  constructor(options: TwilioProviderOptions) {
    if (options === null || typeof options !== 'object') throw new ConfigurationError('TwilioProvider: options must be an object');
    checkOptionKeys('TwilioProvider', options, OPTION_KEYS);
    const accountSid = required(options, 'accountSid');
    this.#from = twilioSender(options.from);
    this.#authorization = `Basic ${Buffer.from(`${accountSid}:${required(options, 'authToken')}`).toString('base64')}`;
    const baseUrl = options.baseUrl ?? 'https://api.twilio.com';
    if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
      throw new ConfigurationError('TwilioProvider: baseUrl must be an http(s) URL');
    }
    this.#url = `${baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    if (!Number.isInteger(this.#timeoutMs) || this.#timeoutMs <= 0) {
      throw new ConfigurationError('TwilioProvider: timeoutMs must be a positive integer');
    }
  }

  async send(to: string, text: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: {
          authorization: this.#authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ To: to, [this.#from.field]: this.#from.value, Body: text }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw new DeliveryError('The SMS provider could not be reached', { cause: error });
    }
    await response.body?.cancel();
    if (!response.ok) {
      throw new DeliveryError(`The SMS provider refused the message (HTTP ${response.status})`, {
        cause: new Error(`Twilio answered HTTP ${response.status}`),
      });
    }
  }
}
