import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';

/** The built binary, as npm links it. */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The counter device plugin: a package that declares itself as a third party's would. */
export const COUNTER_PLUGIN = fileURLToPath(new URL('./counter-plugin', import.meta.url));

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

/** A temporary app directory. */
export interface WorkDir {
  readonly path: string;
  /** Its `node_modules` (a real directory for `'counter'`, else a link to the repository's). */
  readonly nodeModules: string;
  remove(): void;
}

/**
 * A temporary app directory. `'counter'`: its `node_modules` holds `@otpkit/core`, `knex` and the
 * counter plugin only, so no plugin of otpkit's own is installed. `'repository'`: its
 * `node_modules` is the repository's, with every otpkit package.
 */
export function workDir(packages: 'counter' | 'repository' = 'counter'): WorkDir {
  const path = mkdtempSync(join(tmpdir(), 'otpkit-cli-'));
  const nodeModules = join(path, 'node_modules');
  const install = (name: string, target: string) => {
    mkdirSync(join(nodeModules, name, '..'), { recursive: true });
    symlinkSync(target, join(nodeModules, name), 'dir');
  };
  if (packages === 'repository') {
    symlinkSync(join(ROOT, 'node_modules'), nodeModules, 'dir');
  } else {
    install('@otpkit/core', join(ROOT, 'packages/core'));
    install('knex', join(ROOT, 'node_modules/knex'));
    install('otpkit-counter', COUNTER_PLUGIN);
  }
  return { path, nodeModules, remove: () => rmSync(path, { recursive: true, force: true }) };
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
