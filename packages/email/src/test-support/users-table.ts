import type { Knex } from 'knex';

/** Creates the application's `users` table as the email tests need it: id, username, address and locale, the last two optional. */
export async function createUsersTable(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (table) => {
    table.increments('id').primary();
    table.string('username', 64).notNullable();
    table.string('email', 254).nullable();
    table.string('locale', 16).nullable();
  });
}
