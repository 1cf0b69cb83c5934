/** The pattern of a device type name: lower case, starts with a letter, at most 32 characters. */
export const DEVICE_TYPE_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;

const PERSISTENT_ID = /^([a-z][a-z0-9_-]{0,31})\/([1-9][0-9]{0,15})$/;

/** A parsed persistent id. */
export interface PersistentIdParts {
  type: string;
  id: number;
}

/** Builds the persistent id `"<type>/<pk>"` that names a device across plugins. */
export function formatPersistentId(type: string, id: number): string {
  return `${type}/${id}`;
}

/**
 * Parses a persistent id. Anything that is not exactly `"<type>/<positive integer>"` (with no
 * leading zeros and within the safe integer range) is `null`, never an exception.
 */
export function parsePersistentId(value: unknown): PersistentIdParts | null {
  if (typeof value !== 'string' || value.length > 50) return null;
  const match = PERSISTENT_ID.exec(value);
  if (!match) return null;
  const id = Number(match[2]);
  if (!Number.isSafeInteger(id)) return null;
  return { type: match[1]!, id };
}
