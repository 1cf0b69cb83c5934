import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';

/** The built binary, as npm links it. */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const NODE_MODULES = fileURLToPath(new URL('../../../../node_modules', import.meta.url));

/** What one run of the binary did. */
export interface BinResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/bin.js ...args` in `cwd` with exactly `env` (plus PATH). */
export function runBin(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<BinResult> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The `DATABASE_URL` of a test database: its URL, or the SQLite file path. */
export function databaseUrl(config: Knex.Config): string {
  const connection = config.connection as string | { filename: string };
  return typeof connection === 'string' ? connection : connection.filename;
}

/** A temporary working directory whose `node_modules` is the repository's, for configuration files. */
export function workDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'otpkit-cli-'));
  symlinkSync(NODE_MODULES, join(path, 'node_modules'), 'dir');
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Creates the application's users table with `alice` and `bob`. */
export async function createUsers(knex: Knex, table = 'users', usernameColumn = 'username'): Promise<void> {
  await knex.schema.createTable(table, (t) => {
    t.increments('id');
    t.string(usernameColumn, 150).notNullable().unique();
    t.string('email', 254);
  });
  await knex(table).insert([
    { [usernameColumn]: 'alice', email: 'alice@example.com' },
    { [usernameColumn]: 'bob', email: 'bob@example.com' },
  ]);
}
