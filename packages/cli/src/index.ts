/**
 * @otpkit/cli: the `otpkit` command line (migrations, enrolment and devices, for any device
 * plugin) and its entry point for embedding it in another tool.
 * @packageDocumentation
 */
export { runCli } from './run-cli.js';
export type { CliIo } from './cli-io.js';
export { cliErrorCodes, type CliErrorCode } from './cli-error.js';
