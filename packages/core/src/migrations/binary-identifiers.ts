import type { OtpMigration } from '../migration.js';
import { binaryCollation, isMysql } from './otp-table.js';

/**
 * Converts the otpkit tables of a 0.1 database on MySQL/MariaDB (`otp_*`) to a binary no-pad
 * collation, so `user_id` and every other identifier compare byte for byte (before, "Carol" and
 * "carol " named carol's rows). Tables created later use `createOtpTable` and need no conversion.
 * Nothing to do on PostgreSQL and SQLite.
 */
export const binaryIdentifiers: OtpMigration = {
  name: '0002_binary_identifiers',
  async up(knex) {
    if (!isMysql(knex)) return;
    const collation = await binaryCollation(knex);
    const [tables] = (await knex.raw(
      "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME LIKE 'otp\\_%'",
    )) as [{ name: string }[]];
    for (const { name } of tables) {
      await knex.raw(`ALTER TABLE ?? CONVERT TO CHARACTER SET utf8mb4 COLLATE ${collation}`, [name]);
    }
  },
  async down() {
    // Going back to a case-insensitive collation would reopen the hole; nothing to undo.
  },
};
