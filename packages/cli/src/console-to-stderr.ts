import { Console } from 'node:console';

/**
 * Sends everything the process's `console` prints to stderr, so that stdout carries only the
 * command's results (`--json` stays one JSON document): the app's setup module may log as it
 * loads, and knex prints its warnings (a SQLite connection without `useNullAsDefault`) and
 * errors with `console.log`.
 */
export function consoleToStderr(): void {
  Object.assign(console, new Console({ stdout: process.stderr, stderr: process.stderr }));
}
