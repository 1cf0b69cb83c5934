import { StorageError, ValidationError } from './errors.js';
import type { UserDirectory } from './users.js';

/**
 * The username of a device's owner, read through the configured users table: the account name a
 * Key-URI shows by default.
 * @throws ValidationError (`field: 'account'`) when the owner is not in the table; StorageError
 * when the table cannot be read.
 */
export async function ownerUsername(users: UserDirectory, userId: string): Promise<string> {
  let user;
  try {
    user = await users.findById(userId);
  } catch (error) {
    throw new StorageError(undefined, { cause: error });
  }
  if (user === null) throw new ValidationError('The device owner is not in the users table: pass an account name', { field: 'account' });
  return user.username;
}
