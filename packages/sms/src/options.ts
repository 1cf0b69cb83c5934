import {
  checkOptionKeys,
  ConfigurationError,
  DEFAULT_SIDE_CHANNEL_OPTIONS,
  resolveSideChannelOptions,
  type SideChannelOptions,
  type ThrottlePolicy,
} from '@otpkit/core';
import type { SmsProvider } from './sms-provider.js';

/**
 * The options of {@link sms}. The text template fills `{token}`, `{validMinutes}`, `{deviceName}`
 * and any key of `context` or of the challenge's context.
 */
export interface SmsOptions extends Partial<SideChannelOptions> {
  /** Sends the messages: `new TwilioProvider({...})`, `new ConsoleProvider()` or your own. Required. */
  readonly provider: SmsProvider;
  /**
   * The message template, in every language. The challenge context key `text` replaces it for one message.
   * @default the catalog's `sms.code.text` in the challenge's `locale` ('Your verification code is {token}')
   */
  readonly text?: string;
  /**
   * Extra template values for every message (`{ appName: 'Acme' }`).
   * @default {}
   */
  readonly context?: Readonly<Record<string, string | number>>;
  /**
   * Throttling of failed verifications.
   * @default { factor: 1 }
   */
  readonly throttle?: Partial<ThrottlePolicy>;
}

/** The options of an SMS plugin after resolution: every default filled in; a `text` left out (`undefined`) comes from the catalog. */
export type ResolvedSmsOptions = Readonly<Required<Omit<SmsOptions, 'text'>>> & Pick<SmsOptions, 'text'> & SideChannelOptions;

const DEFAULTS = Object.freeze({
  ...DEFAULT_SIDE_CHANNEL_OPTIONS,
  context: Object.freeze({}),
  throttle: Object.freeze({ factor: 1 }),
});

/** Validates and fills in the options, once. @throws ConfigurationError */
export function resolveSmsOptions(input: SmsOptions): ResolvedSmsOptions {
  if (input === null || typeof input !== 'object') throw new ConfigurationError('sms: options must be an object');
  checkOptionKeys('sms', input, [...Object.keys(DEFAULTS), 'text', 'provider']);
  const options = { ...resolveSideChannelOptions({ ...DEFAULTS, ...input }) } as Required<Omit<SmsOptions, 'text'>> & Pick<SmsOptions, 'text'> & SideChannelOptions;
  if (typeof options.provider?.send !== 'function') throw new ConfigurationError('sms: provider must have a send(to, text) method');
  if (options.text !== undefined && (typeof options.text !== 'string' || options.text === '')) throw new ConfigurationError('sms: text must be a non-empty string');
  const invalid = (['context', 'throttle'] as const).find((field) => options[field] === null || typeof options[field] !== 'object');
  if (invalid !== undefined) throw new ConfigurationError(`sms: ${invalid} must be an object`);
  return Object.freeze({
    ...options,
    context: Object.freeze({ ...options.context }),
    throttle: Object.freeze({ ...options.throttle }),
  });
}
