import type { Knex } from 'knex';
import { normalizeEmailAddress } from '@otpkit/email';
import { hashPassword, verifyPassword } from './password.js';

/** A registered demo user. */
export interface DemoUser {
  readonly id: string;
  readonly username: string;
  readonly email: string;
}

/** Why a registration was refused, for the form. */
export type RegistrationError = 'username' | 'email' | 'password' | 'taken' | 'emailTaken';

const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;

/** The demo's `users` table (the one otpkit reads through `createOtp`'s `users` option). */
export class UserStore {
  readonly #knex: Knex;
  /** A hash to compare against for unknown usernames, so a login takes as long either way. */
  readonly #decoy: Promise<string>;

  constructor(knex: Knex) {
    this.#knex = knex;
    this.#decoy = hashPassword('decoy password');
  }

  /** Creates the table on first run. */
  async createTable(): Promise<void> {
    if (await this.#knex.schema.hasTable('users')) return;
    await this.#knex.schema.createTable('users', (table) => {
      table.increments('id');
      table.string('username', 32).notNullable().unique();
      table.string('email', 254).notNullable().unique();
      table.string('password_hash', 255).notNullable();
    });
  }

  /** Registers a user (the address must be exactly one, not yet registered), or says which field is wrong. */
  async register(username: string, address: string, password: string): Promise<DemoUser | RegistrationError> {
    // Lower-cased and unique: the outbox shows mail to the one account that owns the address.
    const email = normalizeEmailAddress(address)?.toLowerCase();
    if (!USERNAME.test(username)) return 'username';
    if (email === undefined) return 'email';
    if (password.length < 8 || password.length > 256) return 'password';
    if ((await this.#knex('users').where({ username }).first()) !== undefined) return 'taken';
    if ((await this.#knex('users').where({ email }).first()) !== undefined) return 'emailTaken';
    const [row] = await this.#knex('users').insert({ username, email, password_hash: await hashPassword(password) }, ['id']);
    const id = typeof row === 'object' ? (row as { id: number }).id : row;
    return { id: String(id), username, email };
  }

  /** The user's id when the password is right, else `null`. */
  async authenticate(username: string, password: string): Promise<string | null> {
    const row = await this.#knex('users').select('id', 'password_hash').where({ username }).first();
    const matches = await verifyPassword(password, row?.password_hash ?? (await this.#decoy));
    return row !== undefined && matches ? String(row.id) : null;
  }

  /** The user with this id, or `null`. */
  async findById(id: string): Promise<DemoUser | null> {
    const row = await this.#knex('users').select('id', 'username', 'email').where({ id }).first();
    return row === undefined ? null : { id: String(row.id), username: row.username, email: row.email };
  }
}
