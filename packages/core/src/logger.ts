/** Where otpkit reports conditions an operator should know about. Never receives secrets. */
export interface Logger {
  warn(message: string): void;
}

/** The default logger: `console.warn` with an `[otpkit]` prefix. */
export const consoleLogger: Logger = {
  warn: (message) => console.warn(`[otpkit] ${message}`),
};
