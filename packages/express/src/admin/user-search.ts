import type { Request } from 'express';
import { storedUserId, type Otp, type UserRecord } from '@otpkit/core';

/** The longest search accepted: a user id, username or email address is shorter. */
const MAX_QUERY_LENGTH = 255;

/**
 * The user a URL names by id, or `null` for an unknown or malformed id. The id must be the user's
 * own, as stored: a database that casts `'7abc'` to 7 does not make it a name of user 7.
 */
export async function userOfPath(otp: Otp, req: Request): Promise<UserRecord | null> {
  const id = req.params.userId;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_QUERY_LENGTH) return null;
  const user = await otp.users.findById(storedUserId(id));
  return user?.id === id ? user : null;
}

/** The users a search names: by id, username or email address (`otp.users`), each once. */
export async function findUsers(otp: Otp, query: string): Promise<UserRecord[]> {
  if (query.length === 0 || query.length > MAX_QUERY_LENGTH) return [];
  const [byId, byUsername, byEmail] = await Promise.all([otp.users.findById(query), otp.users.findByUsername(query), otp.users.findByEmail(query)]);
  const found = new Map<string, UserRecord>();
  for (const user of [byId?.id === query ? byId : null, byUsername, ...byEmail]) if (user !== null) found.set(user.id, user);
  return [...found.values()];
}
