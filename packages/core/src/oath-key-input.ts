import { ValidationError } from './errors.js';
import { decodeBase32, randomKey } from './oath.js';

/** The shortest key an OATH device may have: RFC 4226 requires at least 128 bits. */
export const MIN_OATH_KEY_BYTES = 16;
/** The longest key an OATH device may have (RFC 6238's SHA-512 seed is 64 bytes). */
export const MAX_OATH_KEY_BYTES = 64;

/** How a caller may give the key of a new OATH device: at most one of the two. */
export interface OathKeyInput {
  /** The key as hex digits (as stored, and as hardware token sheets list it). */
  readonly key?: string;
  /** The key as base32 (as authenticator apps and Key-URIs show it). */
  readonly secret?: string;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * The key bytes of a new OATH (TOTP, HOTP) device: `key` as hex or `secret` as base32 when the
 * caller gives one, else `generatedBytes` random bytes from the CSPRNG.
 * @throws ValidationError when both or a malformed one are given, or the key is not 16 to 64 bytes.
 */
export function oathKeyFromInput(input: OathKeyInput, generatedBytes: number): Uint8Array {
  const { key, secret } = input;
  if (key !== undefined && secret !== undefined) {
    throw new ValidationError('Give the key as hex (key) or as base32 (secret), not both', { field: 'key' });
  }
  let bytes: Uint8Array;
  if (key !== undefined) {
    if (typeof key !== 'string' || !HEX.test(key)) throw new ValidationError('key must be hex digits', { field: 'key' });
    bytes = new Uint8Array(Buffer.from(key, 'hex'));
  } else if (secret !== undefined) {
    if (typeof secret !== 'string') throw new ValidationError('secret must be base32 text', { field: 'secret' });
    bytes = decodeBase32(secret);
  } else {
    return randomKey(generatedBytes);
  }
  if (bytes.length < MIN_OATH_KEY_BYTES || bytes.length > MAX_OATH_KEY_BYTES) {
    const field = key === undefined ? 'secret' : 'key';
    throw new ValidationError(`the key must be ${MIN_OATH_KEY_BYTES} to ${MAX_OATH_KEY_BYTES} bytes long (${field} holds ${bytes.length})`, { field });
  }
  return bytes;
}

/**
 * The state of an imported OATH device (a plugin's `restore`), which must carry its key: unlike a
 * new device's input, a missing key is never replaced by a random one.
 * @throws ValidationError when it has neither `key` nor `secret`.
 */
export function withImportedOathKey<S extends Readonly<Record<string, unknown>>>(state: S): S & OathKeyInput {
  if (state.key === undefined && state.secret === undefined) {
    throw new ValidationError('an imported device needs its key: give key (hex) or secret (base32)', { field: 'key' });
  }
  return state as S & OathKeyInput;
}
