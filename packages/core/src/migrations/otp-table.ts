/**
 * Creating otpkit's tables so that every text column compares byte for byte on every backend.
 * PostgreSQL's deterministic collations and SQLite's BINARY already do; MySQL and MariaDB compare
 * with the server's default collation, which folds case and ignores trailing spaces, so there each
 * otpkit table gets a binary collation that does not pad (`utf8mb4_nopad_bin` on MariaDB,
 * `utf8mb4_0900_bin` on MySQL 8).
 * @module
 */
import type { Knex } from 'knex';
import { ConfigurationError } from '../errors.js';

const NO_PAD_BINARY_COLLATIONS = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'] as const;

/** Whether `knex` talks to MySQL or MariaDB. */
export function isMysql(knex: Knex): boolean {
  const client = knex.client.config.client;
  return client === 'mysql2' || client === 'mysql';
}

/**
 * The binary, no-pad collation of the MySQL or MariaDB server behind `knex`.
 * @throws ConfigurationError when the server has neither (MySQL 5.7 and older).
 */
export async function binaryCollation(knex: Knex): Promise<string> {
  const [rows] = (await knex.raw(
    `SELECT COLLATION_NAME AS name FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN (${NO_PAD_BINARY_COLLATIONS.map(() => '?').join(', ')})`,
    [...NO_PAD_BINARY_COLLATIONS],
  )) as [{ name: string }[]];
  const found = NO_PAD_BINARY_COLLATIONS.find((name) => rows.some((row) => row.name === name));
  if (found === undefined) throw new ConfigurationError('otpkit needs MariaDB 10.2+ or MySQL 8+ (a binary no-pad collation)');
  return found;
}

/**
 * Creates one of otpkit's tables (a plugin's too) with byte-exact text comparison: use it instead
 * of `knex.schema.createTable` in every otpkit migration.
 */
export async function createOtpTable(knex: Knex, name: string, build: (table: Knex.CreateTableBuilder) => void): Promise<void> {
  const collation = isMysql(knex) ? await binaryCollation(knex) : null;
  await knex.schema.createTable(name, (table) => {
    if (collation !== null) {
      table.charset('utf8mb4');
      table.collate(collation);
    }
    build(table);
  });
}
