import { ConfigurationError } from './errors.js';

/** Where otpkit reports conditions an operator should know about. Never receives secrets. */
export interface Logger {
  warn(message: string): void;
}

/**
 * What a `logger` option takes: an object with a `warn(message)` method (`console`, a pino or
 * winston logger, a {@link Logger}), or a function that takes the message (`console.warn`,
 * `(message) => log.warning(message)`).
 */
export type LoggerOption = Logger | ((message: string) => void);

/** The default logger: `console.warn` with an `[otpkit]` prefix. */
export const consoleLogger: Logger = {
  warn: (message) => console.warn(`[otpkit] ${message}`),
};

/**
 * The {@link Logger} a `logger` option names: {@link consoleLogger} when it is `undefined`, a
 * function wrapped as the `warn` method, an object with a `warn` method as it is (called as a
 * method, so a pino or winston logger keeps its `this`).
 * @throws ConfigurationError naming `owner` for anything else, at start-up rather than at the first warning.
 */
export function resolveLogger(owner: string, logger: LoggerOption | undefined): Logger {
  if (logger === undefined) return consoleLogger;
  if (typeof logger === 'function') return Object.freeze({ warn: (message: string) => logger(message) });
  if (logger !== null && typeof logger === 'object' && typeof logger.warn === 'function') return logger;
  throw new ConfigurationError(`${owner}: logger must be an object with a warn(message) method (console, a pino or winston logger) or a function (message) => void`);
}
