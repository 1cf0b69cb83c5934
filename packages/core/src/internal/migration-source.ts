import type { Knex } from 'knex';
import type { OtpMigration } from '../migration.js';

/** A migration with the name it is recorded under: `<owner>/<name>`. */
interface NamedMigration {
  readonly name: string;
  readonly migration: OtpMigration;
}

/**
 * A knex migration source over core's and the plugins' migrations, owner by owner, in the order
 * given. Each owner's names are recorded as `<owner>/<name>`.
 */
export function otpMigrationSource(owners: readonly { owner: string; migrations: readonly OtpMigration[] }[]): Knex.MigrationSource<NamedMigration> {
  const all = owners.flatMap(({ owner, migrations }) =>
    migrations.map((migration) => ({ name: `${owner}/${migration.name}`, migration })),
  );
  return {
    getMigrations: async () => all,
    getMigrationName: (entry) => entry.name,
    getMigration: async (entry) => ({ up: entry.migration.up, down: entry.migration.down }),
  };
}
