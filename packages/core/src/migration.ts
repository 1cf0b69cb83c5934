import type { Knex } from 'knex';

/** One schema step of a plugin (or of core). Names are unique within their owner and never change. */
export interface OtpMigration {
  readonly name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}
