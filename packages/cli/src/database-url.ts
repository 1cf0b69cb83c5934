import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Knex } from 'knex';
import { ConfigurationError } from '@otpkit/core';

/** knex's own logging is silent: the command reports failures in one line. */
const silent = { warn() {}, error() {}, debug() {}, deprecate() {} };

/** How long a command waits for a database connection before it reports the database unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The knex configuration for a `DATABASE_URL`: `postgres://` or `postgresql://` (pg),
 * `mysql://` or `mariadb://` (mysql2), otherwise a SQLite file path (`sqlite:` and `file:` prefixes
 * allowed), relative to `cwd`. A SQLite file must exist unless `create` is set (`otpkit migrate`).
 * @throws ConfigurationError for an empty or unsupported URL, or a missing SQLite file.
 */
export function knexConfigFromUrl(url: string, cwd: string, create: boolean): Knex.Config {
  const text = url.trim();
  if (text === '') throw new ConfigurationError('DATABASE_URL is empty');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  const server = { pool: { min: 0, max: 2 }, acquireConnectionTimeout: CONNECT_TIMEOUT_MS, log: silent };
  if (scheme === 'postgres' || scheme === 'postgresql') return { client: 'pg', connection: text, ...server };
  if (scheme === 'mysql' || scheme === 'mariadb') {
    return { client: 'mysql2', connection: text.replace(/^mariadb:/i, 'mysql:'), ...server };
  }
  const path = scheme === 'sqlite' || scheme === 'file' ? text.slice(scheme.length + 1).replace(/^\/\/(?=\/)/, '') : text;
  if (scheme !== undefined && scheme !== 'sqlite' && scheme !== 'file' && !/^[a-z]:[\\/]/i.test(text)) {
    throw new ConfigurationError(`DATABASE_URL scheme "${scheme}:" is not supported (postgres://, mysql://, or a SQLite file path)`);
  }
  const filename = isAbsolute(path) ? path : resolve(cwd, path);
  if (!create && !existsSync(filename)) {
    throw new ConfigurationError(`SQLite database ${filename} does not exist (otpkit migrate creates it)`);
  }
  return {
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
    log: silent,
  };
}
