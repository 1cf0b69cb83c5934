import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';

/** Creates the application's `users` table (id, username, email, password hash). */
export async function createUsersTable(knex: Knex): Promise<void> {
  if (await knex.schema.hasTable('users')) return;
  await knex.schema.createTable('users', (table) => {
    table.increments('id');
    table.string('username', 150).notNullable().unique();
    table.string('email', 254).nullable();
    table.string('password_hash', 200).notNullable();
  });
}

/** Adds a user with a scrypt-hashed password; returns the id. */
export async function addUser(knex: Knex, username: string, password: string, email: string | null = null): Promise<number> {
  const salt = randomBytes(16).toString('hex');
  const hash = scryptSync(password, salt, 32).toString('hex');
  await knex('users').insert({ username, email, password_hash: `${salt}:${hash}` });
  const row = await knex('users').select('id').where({ username }).first();
  return Number(row.id);
}

/** The user id for a correct username and password, else `null`: an `authenticate` for otpLoginRouter. */
export function passwordAuthenticator(knex: Knex) {
  return async (username: string, password: string): Promise<number | null> => {
    const row = await knex('users').where({ username }).first();
    if (row === undefined) return null;
    const [salt, hash] = String(row.password_hash).split(':') as [string, string];
    const given = scryptSync(password, salt, 32);
    return timingSafeEqual(given, Buffer.from(hash, 'hex')) ? Number(row.id) : null;
  };
}
