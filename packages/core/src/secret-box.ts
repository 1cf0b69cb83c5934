/**
 * Secrets at rest. With keys configured, device secrets are sealed with AES-256-GCM under the
 * newest key (the largest key id); any listed key opens them, so keys rotate without downtime.
 * The ciphertext is bound to its table and column (additional data), so it cannot be moved.
 * @module
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { ConfigurationError, SecretError } from './errors.js';

/** Secret encryption keys by id: `{ '1': base64-or-hex 32-byte key }`. The largest id encrypts. */
export type SecretKeys = Readonly<Record<string, string | undefined>>;

const PREFIX = 'otpkit$1$';
const KEY_ID = /^[1-9][0-9]{0,8}$/;

function parseKey(id: string, text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new ConfigurationError(`secretKeys['${id}'] must be 32 bytes, given as 64 hex digits or base64`);
  }
  return key;
}

/** Seals, opens and keys digests of secrets with the configured keys. */
export class SecretBox {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #digestKeys: ReadonlyMap<string, Buffer>;
  readonly #newest: string | null;

  /** @throws ConfigurationError for a malformed key id or key. */
  constructor(keys: SecretKeys = {}) {
    const parsed = new Map<string, Buffer>();
    for (const [id, text] of Object.entries(keys)) {
      if (text === undefined || text === '') continue;
      if (!KEY_ID.test(id)) throw new ConfigurationError('secretKeys ids must be positive integers');
      parsed.set(id, parseKey(id, text));
    }
    this.#keys = parsed;
    // A separate key per id for digests, so no key is used both to encrypt and to MAC.
    this.#digestKeys = new Map(
      [...parsed].map(([id, key]) => [id, createHmac('sha256', key).update('otpkit digest v1').digest()]),
    );
    const ids = [...parsed.keys()].sort((a, b) => Number(a) - Number(b));
    this.#newest = ids.at(-1) ?? null;
  }

  /** Whether secrets are encrypted at rest. */
  get encrypts(): boolean {
    return this.#newest !== null;
  }

  /** The id of the key new secrets are sealed with, or `null` without keys. */
  get newestKeyId(): string | null {
    return this.#newest;
  }

  /** Whether `stored` is sealed under the newest key (or needs no sealing). */
  isCurrent(stored: string | null): boolean {
    if (stored === null) return true;
    if (this.#newest === null) return !stored.startsWith(PREFIX);
    return stored.startsWith(`${PREFIX}${this.#newest}$`);
  }

  /** Seals a secret for storage in `where` (`table.column`); plaintext when no key is configured. */
  seal(plaintext: string, where: string): string {
    if (this.#newest === null) return plaintext;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.#newest)!, iv);
    cipher.setAAD(Buffer.from(where, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    return `${PREFIX}${this.#newest}$${sealed}`;
  }

  /**
   * Opens a stored secret. A value that was stored before keys were configured is returned as is.
   * @throws SecretError when the key id is unknown or the ciphertext does not authenticate.
   */
  open(stored: string, where: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const rest = stored.slice(PREFIX.length);
    const separator = rest.indexOf('$');
    const id = rest.slice(0, separator);
    const key = this.#keys.get(id);
    if (separator < 0 || key === undefined) {
      throw new SecretError(`A secret in ${where} is sealed under key id ${JSON.stringify(id)}, which is not configured`);
    }
    const raw = Buffer.from(rest.slice(separator + 1), 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(where, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new SecretError(`A secret in ${where} failed to authenticate`, { cause: error });
    }
  }

  /**
   * A one-way digest of a low-entropy secret (a backup code) for lookup: HMAC-SHA-256 under the
   * newest key, or plain SHA-256 when no key is configured. The key id is part of the digest.
   */
  digest(value: string): string {
    return this.#digestWith(this.#newest, value);
  }

  /** Every digest `value` may be stored under: one per configured key, and the unkeyed one. */
  digestCandidates(value: string): string[] {
    return [...this.#keys.keys(), null].map((id) => this.#digestWith(id, value));
  }

  #digestWith(id: string | null, value: string): string {
    if (id === null) return `sha256$${createHash('sha256').update(value, 'utf8').digest('base64url')}`;
    const mac = createHmac('sha256', this.#digestKeys.get(id)!).update(value, 'utf8').digest('base64url');
    return `hmac$${id}$${mac}`;
  }
}
