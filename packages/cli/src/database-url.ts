import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Knex } from 'knex';
import { ConfigurationError } from '@otpkit/core';

/** knex's own logging is silent: the command reports failures in one line. */
const silent = { warn() {}, error() {}, debug() {}, deprecate() {} };

/** How long a command waits for a database connection before it reports the database unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Where a `DATABASE_URL` is resolved and what it may do. */
export interface DatabaseUrlOptions {
  /** The directory a relative SQLite path is resolved against. */
  readonly cwd: string;
  /** Whether a missing SQLite file may be created (`otpkit migrate`). */
  readonly create: boolean;
  /**
   * PostgreSQL's schema search path, comma-separated (`auth` or `auth,public`): the tables are
   * looked up there, and created in the first. Ahead of the URL's own `?schema=`.
   */
  readonly schema?: string | undefined;
}

/** An unquoted PostgreSQL identifier: knex quotes the names of the search path without escaping them. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/**
 * The schemas of a search path, in order.
 * @throws ConfigurationError for a name that is not a plain identifier.
 */
function searchPath(schema: string): string[] {
  const names = schema.split(',').map((name) => name.trim());
  const bad = names.find((name) => !SCHEMA_NAME.test(name));
  if (bad !== undefined) throw new ConfigurationError(`schema ${JSON.stringify(bad)} is not a PostgreSQL schema name (letters, digits and _, comma-separated for a search path)`);
  return names;
}

/** A PostgreSQL URL without its `?schema=` parameter (pg would pass it to the server), and that parameter's value. */
function withoutSchemaParameter(text: string): { connection: string; schema: string | undefined } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The URL holds the password: it is not repeated.
    throw new ConfigurationError('DATABASE_URL is not a valid URL (postgres://user:password@host:5432/database)');
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema === undefined) return { connection: text, schema };
  url.searchParams.delete('schema');
  return { connection: url.href, schema };
}

/**
 * The knex configuration for a `DATABASE_URL`: `postgres://` or `postgresql://` (pg, with the
 * search path of `schema` or the URL's `?schema=`), `mysql://` or `mariadb://` (mysql2), otherwise
 * a SQLite file path (`sqlite:` and `file:` prefixes allowed), relative to `cwd`. A SQLite file
 * must exist unless `create` is set (`otpkit migrate`).
 * @throws ConfigurationError for an empty or unsupported URL, a missing SQLite file, a malformed
 * schema name, or a schema for MySQL or SQLite, which have none inside a database.
 */
export function knexConfigFromUrl(url: string, { cwd, create, schema }: DatabaseUrlOptions): Knex.Config {
  const text = url.trim();
  if (text === '') throw new ConfigurationError('DATABASE_URL is empty');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  const server = { pool: { min: 0, max: 2 }, acquireConnectionTimeout: CONNECT_TIMEOUT_MS, log: silent };
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const { connection, schema: fromUrl } = withoutSchemaParameter(text);
    const path = schema ?? fromUrl;
    return { client: 'pg', connection, ...(path === undefined ? {} : { searchPath: searchPath(path) }), ...server };
  }
  if (schema !== undefined) {
    throw new ConfigurationError('a schema (--schema, OTPKIT_DATABASE_SCHEMA) is for PostgreSQL: MySQL, MariaDB and SQLite have none inside a database; name the database in DATABASE_URL instead');
  }
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
