import type { Knex } from 'knex';
import { ConfigurationError, StorageError } from './errors.js';
import { checkOptionKeys } from './option-keys.js';
import { storedUserId, type UserId } from './user-id.js';

/** Where the application keeps its users; otpkit only reads it. */
export interface UsersOptions {
  /** @default 'users' */
  readonly table: string;
  /** @default 'id' */
  readonly idColumn: string;
  /** @default 'username' */
  readonly usernameColumn: string;
  /** The column with the user's email address, or `null` when there is none. @default 'email' */
  readonly emailColumn: string | null;
}

/** The defaults of {@link UsersOptions}. */
export const DEFAULT_USERS_OPTIONS: UsersOptions = Object.freeze({
  table: 'users',
  idColumn: 'id',
  usernameColumn: 'username',
  emailColumn: 'email',
});

/** A user as otpkit sees it. */
export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly email: string | null;
}

const INVALID_TEXT_REPRESENTATION = '22P02';
/** The most users {@link UserDirectory.findByEmail} returns. */
const MAX_MATCHES = 20;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/** Reads the application's users table. */
export class UserDirectory {
  readonly options: UsersOptions;
  readonly #knex: Knex;

  /** @throws ConfigurationError for an option that is not a plain SQL identifier. */
  constructor(knex: Knex, input: Partial<UsersOptions> = {}) {
    if (input === null || typeof input !== 'object') throw new ConfigurationError('users must be an object such as { table, idColumn }');
    checkOptionKeys('users', input, Object.keys(DEFAULT_USERS_OPTIONS));
    const options = { ...DEFAULT_USERS_OPTIONS, ...input };
    for (const [field, value] of Object.entries(options)) {
      if (value !== null && !IDENTIFIER.test(value)) throw new ConfigurationError(`users.${field} must be a SQL identifier`);
    }
    this.options = Object.freeze(options);
    this.#knex = knex;
  }

  /** The user with this username, or `null`. */
  async findByUsername(username: string): Promise<UserRecord | null> {
    return this.#first(this.options.usernameColumn, username);
  }

  /** The user with this id, or `null`. */
  async findById(id: UserId): Promise<UserRecord | null> {
    return this.#first(this.options.idColumn, storedUserId(id));
  }

  /**
   * The users with this email address, compared in lower case (an address is not unique in every
   * application: all are returned, by id); `[]` when `emailColumn` is `null`.
   */
  async findByEmail(email: string): Promise<UserRecord[]> {
    const { emailColumn, idColumn } = this.options;
    if (emailColumn === null) return [];
    return this.#select((query) => query.whereRaw('LOWER(??) = ?', [emailColumn, email.toLowerCase()]).orderBy(idColumn).limit(MAX_MATCHES));
  }

  async #first(column: string, value: string): Promise<UserRecord | null> {
    const [user] = await this.#select((query) => query.where(column, value).limit(1));
    return user ?? null;
  }

  async #select(narrow: (query: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<UserRecord[]> {
    const { table, idColumn, usernameColumn, emailColumn } = this.options;
    const columns = [`${idColumn} as id`, `${usernameColumn} as username`];
    if (emailColumn !== null) columns.push(`${emailColumn} as email`);
    let rows: Record<string, unknown>[];
    try {
      rows = await narrow(this.#knex(table).select(columns));
    } catch (error) {
      // PostgreSQL refuses a non-numeric string for an integer column: no such user.
      if ((error as { code?: string }).code === INVALID_TEXT_REPRESENTATION) return [];
      throw new StorageError(undefined, { cause: error });
    }
    return rows.map((row) => ({ id: String(row.id), username: String(row.username), email: row.email == null ? null : String(row.email) }));
  }
}
