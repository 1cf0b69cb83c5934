import { checkOptionKeys, ConfigurationError } from '@otpkit/core';
import type { SmsProvider } from './sms-provider.js';

/** The options of {@link ConsoleProvider}. */
export interface ConsoleProviderOptions {
  /**
   * Where lines are printed.
   * @default console.log
   */
  readonly print?: (line: string) => void;
}

/**
 * **Development only.** "Sends" SMS by printing them, token included, so an app can run without
 * an SMS gateway. It is the one place otpkit prints a token: never use it in production, where
 * anyone who reads the logs could sign in. It prints a warning saying so when created.
 */
export class ConsoleProvider implements SmsProvider {
  readonly #print: (line: string) => void;

  /** @throws ConfigurationError for an unknown option or a `print` that is not a function. */
  constructor(options: ConsoleProviderOptions = {}) {
    if (options === null || typeof options !== 'object') throw new ConfigurationError('ConsoleProvider: options must be an object such as { print }');
    checkOptionKeys('ConsoleProvider', options, ['print']);
    if (options.print !== undefined && typeof options.print !== 'function') throw new ConfigurationError('ConsoleProvider: print must be a function (line) => void');
    this.#print = options.print ?? ((line) => console.log(line));
    this.#print('[otpkit] ConsoleProvider prints SMS tokens: for development only, never in production.');
  }

  async send(to: string, text: string): Promise<void> {
    this.#print(`[otpkit] SMS to ${to}: ${text}`);
  }
}
