import { existsSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import { ConfigurationError } from '@otpkit/core';
import { knexConfigFromUrl } from '../database-url.js';
import { oneLine } from '../describe-error.js';

/**
 * A connection to the database an import reads (`--from`): a `postgres://` or `mysql://` URL or
 * a SQLite file, which must exist. MySQL's datetimes are read as text, so that the UTC that Django
 * stores does not pass through the driver's time zone.
 * @throws ConfigurationError for an unsupported URL, a missing SQLite file or a driver that is not installed.
 */
export function openSourceDatabase(url: string, cwd: string): Knex {
  const config = knexConfigFromUrl(url, { cwd, create: true });
  const connection = config.connection as { filename?: string } | string;
  if (typeof connection === 'object' && connection.filename !== undefined && !existsSync(connection.filename)) {
    throw new ConfigurationError(`--from: the SQLite database ${connection.filename} does not exist`);
  }
  try {
    return knexFactory(config.client === 'mysql2' ? { ...config, connection: { uri: config.connection as string, dateStrings: true } } : config);
  } catch (error) {
    throw new ConfigurationError(`--from: ${oneLine(error)}`, { cause: error });
  }
}

/**
 * A datetime read from Django's tables as epoch ms: a `Date` (PostgreSQL), or text in UTC without
 * a zone (SQLite; MySQL read as text), or `null`. Text that is no time is `NaN`, which the
 * import reports as an invalid device rather than dropping.
 */
export function epochMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  const text = String(value).trim().replace(' ', 'T');
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  return Date.parse(zoned.replace(/(\.\d{3})\d+/, '$1'));
}
