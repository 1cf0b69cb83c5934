import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Knex } from 'knex';
import { ConfigurationError, ValidationError, type Otp } from '@otpkit/core';
import { DJANGO_OTP_TABLES } from './django-otp-devices.js';

/** The otpkit user a source user becomes, or why there is none. */
export type MappedUser = { readonly userId: string } | { readonly unknown: string };

/** Finds the otpkit user of a source user id. */
export type UserMapping = (sourceUser: string) => Promise<MappedUser>;

/** How `--map-users` may map Django's users to otpkit's. */
export const USER_MAPPINGS = 'id, username, email or csv:PATH';

/** The otpkit user with this id, if it is one and the application's users table has it. */
async function byId(otp: Otp, userId: string): Promise<MappedUser> {
  try {
    return (await otp.users.findById(userId)) === null ? { unknown: `no otpkit user has id ${userId}` } : { userId };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { unknown: `${JSON.stringify(userId)} is not a user id` };
  }
}

/**
 * A CSV file of `django id,otpkit id` lines (a header line starting with a non-digit, blank lines
 * and `#` comments ignored).
 * @throws ConfigurationError when the file cannot be read or a line has not two fields.
 */
function csvPairs(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`--map-users: cannot read ${path}`, { cause: error });
  }
  const pairs = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || (index === 0 && /^[^0-9]/.test(trimmed) && /id/i.test(trimmed))) return;
    const fields = trimmed.split(',').map((field) => field.trim());
    if (fields.length !== 2 || fields[0] === '' || fields[1] === '') {
      throw new ConfigurationError(`--map-users: ${path} line ${index + 1} must be "django id,otpkit id"`);
    }
    pairs.set(fields[0]!, fields[1]!);
  });
  return pairs;
}

/**
 * Django users by id from `auth_user`, for mapping by username or email.
 * @throws ConfigurationError when the database has no `auth_user` table (a custom user model).
 */
async function djangoUsers(source: Knex, column: 'username' | 'email'): Promise<Map<string, string>> {
  if (!(await source.schema.hasTable(DJANGO_OTP_TABLES.users))) {
    throw new ConfigurationError(`--map-users ${column} reads Django's auth_user table, which this database does not have: map by a CSV file (--map-users csv:PATH)`);
  }
  const rows = (await source(DJANGO_OTP_TABLES.users).select('id', column)) as Record<string, unknown>[];
  return new Map(rows.filter((row) => typeof row[column] === 'string' && row[column] !== '').map((row) => [String(row.id), row[column] as string]));
}

/**
 * The mapping `--map-users` names: `id` (the default: Django's user id is otpkit's), `username` or
 * `email` (through Django's `auth_user` to the otpkit user with the same username, or the one
 * user with that address), or `csv:PATH` (a file of `django id,otpkit id` lines, relative to
 * `cwd`). Every mapped user must exist in the application's users table.
 * @throws ConfigurationError for another value, an unreadable or malformed file, or no `auth_user`.
 */
export async function userMapping(how: string, otp: Otp, source: Knex, cwd: string): Promise<UserMapping> {
  if (how === 'id') return (sourceUser) => byId(otp, sourceUser);
  if (how.startsWith('csv:')) {
    const pairs = csvPairs(resolve(cwd, how.slice('csv:'.length)));
    return async (sourceUser) => {
      const userId = pairs.get(sourceUser);
      return userId === undefined ? { unknown: `Django user ${sourceUser} is not in the CSV file` } : byId(otp, userId);
    };
  }
  if (how === 'username') {
    const usernames = await djangoUsers(source, 'username');
    return async (sourceUser) => {
      const username = usernames.get(sourceUser);
      const user = username === undefined ? null : await otp.users.findByUsername(username);
      return user === null ? { unknown: `no otpkit user has Django user ${sourceUser}'s username` } : { userId: String(user.id) };
    };
  }
  if (how === 'email') {
    const addresses = await djangoUsers(source, 'email');
    return async (sourceUser) => {
      const address = addresses.get(sourceUser);
      const users = address === undefined ? [] : await otp.users.findByEmail(address);
      if (users.length === 1) return { userId: String(users[0]!.id) };
      return { unknown: users.length === 0 ? `no otpkit user has Django user ${sourceUser}'s email address` : `several otpkit users have Django user ${sourceUser}'s email address` };
    };
  }
  throw new ConfigurationError(`--map-users must be ${USER_MAPPINGS}`);
}

/**
 * The mapped users with every otpkit user that more than one source user maps to made unknown:
 * merged, each source user's devices would let its holder pass as the other (a Django account
 * opened with someone else's email address, mapped by email, would bring its authenticator into
 * that person's account). Each such source user is reported with the others it collides with.
 */
export function oneSourceUserEach(mapped: ReadonlyMap<string, MappedUser>): Map<string, MappedUser> {
  const sourcesOf = new Map<string, string[]>();
  for (const [sourceUser, user] of mapped) {
    if ('userId' in user) sourcesOf.set(user.userId, [...(sourcesOf.get(user.userId) ?? []), sourceUser]);
  }
  return new Map(
    [...mapped].map(([sourceUser, user]) => {
      const sharing = 'userId' in user ? sourcesOf.get(user.userId)! : [];
      if (sharing.length < 2) return [sourceUser, user];
      const others = sharing.filter((other) => other !== sourceUser).join(', ');
      return [sourceUser, { unknown: `source user ${others} maps to the same otpkit user (${(user as { userId: string }).userId}): map each to a user of its own` }];
    }),
  );
}

/**
 * The mapping of a Key-URI file's user column (`otpkit import uri --users`): `username` (the
 * default, as every other command names users) or `id`.
 * @throws ConfigurationError for another value.
 */
export function fileUserMapping(how: string, otp: Otp): UserMapping {
  if (how === 'id') return (user) => byId(otp, user);
  if (how !== 'username') throw new ConfigurationError('--users must be username or id');
  return async (username) => {
    const user = await otp.users.findByUsername(username);
    return user === null ? { unknown: `no otpkit user is named ${JSON.stringify(username)}` } : { userId: String(user.id) };
  };
}
