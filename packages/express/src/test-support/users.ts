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

/** What an unknown username's password is hashed against, so that a wrong username takes as long as a wrong password. */
const NO_USER_HASH = `${randomBytes(16).toString('hex')}:${randomBytes(32).toString('hex')}`;

/** The user id for a correct username and password, else `null`: an `authenticate` for otpLoginRouter. The password is hashed for every username. */
export function passwordAuthenticator(knex: Knex) {
  return async (username: string, password: string): Promise<number | null> => {
    const row = await knex('users').where({ username }).first();
    const [salt, hash] = String(row?.password_hash ?? NO_USER_HASH).split(':') as [string, string];
    const given = scryptSync(password, salt, 32);
    return timingSafeEqual(given, Buffer.from(hash, 'hex')) && row !== undefined ? Number(row.id) : null;
  };
}
