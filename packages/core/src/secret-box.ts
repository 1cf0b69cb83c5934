/**
 * Secrets at rest. With keys configured, device secrets are sealed with AES-256-GCM under the
 * newest key (the largest key id); any listed key opens them, so keys rotate without downtime.
 * The ciphertext is bound to its table, column, row id and owner (additional data), so a sealed
 * value moved into another row, column or user does not open. Once keys are configured, plaintext
 * and values sealed by 0.1 (bound to table and column only) are refused; `Otp.rotateSecrets`
 * reseals them.
 * @module
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { ConfigurationError, SecretError } from './errors.js';
import { OpenedSecrets } from './internal/opened-secrets.js';

/** Secret encryption keys by id: `{ '1': base64-or-hex 32-byte key }`. The largest id encrypts. */
export type SecretKeys = Readonly<Record<string, string | undefined>>;

/**
 * Where a sealed value belongs: what its additional data binds. For a digest of a child row (a
 * backup code), `table` and `column` name the child table and `id` is the device's row id.
 */
export interface SecretBinding {
  /** The table, e.g. `otp_totp_device`. */
  readonly table: string;
  /** The database column, e.g. `key`. */
  readonly column: string;
  /** The device's row id. */
  readonly id: number;
  /** The device owner's id, as stored. */
  readonly userId: string;
}

/**
 * Why a stored value cannot be used with the configured keys:
 * - `unknown_key`: sealed (or keyed) under a key id that is not configured;
 * - `does_not_authenticate`: wrong key, tampered, or moved from another row, column or user;
 * - `plaintext`: stored in clear while keys are configured;
 * - `legacy_binding`: sealed or keyed by 0.1, bound to less than table, column, row and owner;
 * - `unkeyed_digest`: a plain SHA-256 digest while keys are configured.
 */
export type SecretProblem = 'unknown_key' | 'does_not_authenticate' | 'plaintext' | 'legacy_binding' | 'unkeyed_digest';

/** A stored secret the configured keys cannot use, as `Otp.checkSecrets` reports it. */
export interface SecretReport {
  /** The table, e.g. `otp_totp_device` or `otp_static_token`. */
  readonly table: string;
  /** The column, e.g. `key` or `token_hash`. */
  readonly column: string;
  /** The row id (for a digest row, the digest row's own id). */
  readonly id: number;
  /** The owner of the device the row belongs to. */
  readonly userId: string;
  readonly problem: SecretProblem;
}

const PREFIX = 'otpkit$2$';
const LEGACY_PREFIX = 'otpkit$1$';
const UNKEYED_DIGEST = 'sha256$';
const LEGACY_DIGEST = 'hmac$';
const DIGEST = 'hmac2$';
const KEY_ID = /^[1-9][0-9]{0,8}$/;

const problemMessages: Readonly<Record<SecretProblem, string>> = {
  unknown_key: 'is sealed under a key id that is not configured',
  does_not_authenticate: 'failed to authenticate (wrong key, tampered, or moved from another row)',
  plaintext: 'is stored in plaintext while secret keys are configured; run rotateSecrets',
  legacy_binding: 'was sealed by otpkit 0.1; run rotateSecrets',
  unkeyed_digest: 'is an unkeyed digest while secret keys are configured; run rotateSecrets',
};

function parseKey(id: string, text: string | undefined): Buffer {
  if (!KEY_ID.test(id)) throw new ConfigurationError('secretKeys ids must be positive integers');
  if (typeof text !== 'string' || text === '') {
    throw new ConfigurationError(
      `secretKeys['${id}'] is empty (an unset environment variable?): set it to a 32-byte key, or remove the entry`,
    );
  }
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new ConfigurationError(`secretKeys['${id}'] must be 32 bytes, given as 64 hex digits or base64`);
  }
  return key;
}

/** The additional data of a binding: unambiguous, whatever the user id contains. */
function additionalData(binding: SecretBinding): Buffer {
  return Buffer.from(JSON.stringify([binding.table, binding.column, binding.id, binding.userId]), 'utf8');
}

/** `<id>$<rest>` after `prefix`, or `null` when `stored` does not have that form. */
function keyed(stored: string, prefix: string): { id: string; body: string } | null {
  if (!stored.startsWith(prefix)) return null;
  const rest = stored.slice(prefix.length);
  const separator = rest.indexOf('$');
  return separator < 0 ? { id: '', body: rest } : { id: rest.slice(0, separator), body: rest.slice(separator + 1) };
}

/** Seals, opens and keys digests of secrets with the configured keys. */
export class SecretBox {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #digestKeys: ReadonlyMap<string, Buffer>;
  readonly #newest: string | null;
  readonly #opened = new OpenedSecrets();

  /**
   * @throws ConfigurationError for a malformed key id or key, and for an entry that is `undefined`
   * or empty (an unset environment variable must not silently mean plaintext).
   */
  constructor(keys: SecretKeys = {}) {
    const parsed = new Map<string, Buffer>();
    for (const [id, text] of Object.entries(keys)) parsed.set(id, parseKey(id, text));
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

  /** Seals a secret for storage where `binding` says; plaintext when no key is configured. */
  seal(plaintext: string, binding: SecretBinding): string {
    if (this.#newest === null) return plaintext;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.#newest)!, iv);
    cipher.setAAD(additionalData(binding));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    return `${PREFIX}${this.#newest}$${sealed}`;
  }

  /**
   * Opens a stored secret. Without keys, only plaintext opens; with keys, only values sealed for
   * exactly this binding.
   * @throws SecretError naming the table and column (never the value) when it cannot be used.
   */
  open(stored: string, binding: SecretBinding): string {
    const remembered = this.#opened.get(stored, binding);
    if (remembered !== undefined) return remembered;
    const opened = this.#open(stored, binding);
    if (typeof opened !== 'string') throw this.#error(opened, binding);
    if (this.#newest !== null) this.#opened.set(stored, binding, opened);
    return opened;
  }

  /**
   * Forgets the secrets opened so far. Opening is remembered per sealed value (the most recently
   * used 10,000), so a device verified again is not decrypted again; resealing
   * drops them all, so no plaintext outlives the sealed values it came from.
   */
  forgetOpened(): void {
    this.#opened.clear();
  }

  /** Why `stored` cannot be opened for `binding` with the configured keys, or `null` when it can. */
  problem(stored: string, binding: SecretBinding): SecretProblem | null {
    const opened = this.#open(stored, binding);
    return typeof opened === 'string' ? null : opened.problem;
  }

  /**
   * The migration path: `stored` resealed for `binding` under the newest key, or `null` when it
   * already is. Also opens plaintext and values sealed by 0.1 (bound to `legacyWhere`, which is
   * `table.property`).
   * @throws SecretError when `stored` cannot be opened at all.
   */
  reseal(stored: string, binding: SecretBinding, legacyWhere: string): string | null {
    const opened = this.#open(stored, binding);
    if (typeof opened === 'string') {
      const current = this.#newest === null || stored.startsWith(`${PREFIX}${this.#newest}$`);
      return current ? null : this.seal(opened, binding);
    }
    if (opened.problem === 'plaintext') return this.seal(stored, binding);
    if (opened.problem === 'legacy_binding') return this.seal(this.#decrypt(stored, LEGACY_PREFIX, Buffer.from(legacyWhere, 'utf8'), binding), binding);
    throw this.#error(opened, binding);
  }

  /**
   * A one-way digest of a low-entropy secret (a backup code) for lookup, bound like a sealed
   * value: HMAC-SHA-256 under the newest key over the binding and the code's SHA-256, or the plain
   * SHA-256 when no key is configured.
   */
  digest(value: string, binding: SecretBinding): string {
    const hash = createHash('sha256').update(value, 'utf8').digest();
    return this.#newest === null ? this.#unkeyed(hash) : this.#keyedDigest(this.#newest, hash, binding);
  }

  /**
   * Every digest `value` may be stored under for `binding`: with keys, one per key (and the 0.1
   * keyed form, which `problemOfDigest` reports); without keys, the unkeyed one. With keys, an
   * unkeyed digest is never a candidate.
   */
  digestCandidates(value: string, binding: SecretBinding): string[] {
    const hash = createHash('sha256').update(value, 'utf8').digest();
    if (this.#newest === null) return [this.#unkeyed(hash)];
    return [...this.#keys.keys()].flatMap((id) => [
      this.#keyedDigest(id, hash, binding),
      `${LEGACY_DIGEST}${id}$${createHmac('sha256', this.#digestKeys.get(id)!).update(value, 'utf8').digest('base64url')}`,
    ]);
  }

  /** Why a stored digest cannot be matched with the configured keys, or `null` when it can. */
  problemOfDigest(stored: string): SecretProblem | null {
    if (stored.startsWith(UNKEYED_DIGEST)) return this.#newest === null ? null : 'unkeyed_digest';
    const modern = keyed(stored, DIGEST);
    const legacy = keyed(stored, LEGACY_DIGEST);
    const id = (modern ?? legacy)?.id;
    if (id === undefined || !this.#keys.has(id)) return 'unknown_key';
    return modern === null ? 'legacy_binding' : null;
  }

  /** The migration path for digests: an unkeyed digest keyed and bound to `binding`, else `null`. */
  resealDigest(stored: string, binding: SecretBinding): string | null {
    if (this.#newest === null || !stored.startsWith(UNKEYED_DIGEST)) return null;
    const hash = Buffer.from(stored.slice(UNKEYED_DIGEST.length), 'base64url');
    return this.#keyedDigest(this.#newest, hash, binding);
  }

  #error({ problem, cause }: { problem: SecretProblem; cause?: unknown }, binding: SecretBinding): SecretError {
    return new SecretError(`A secret in ${binding.table}.${binding.column} ${problemMessages[problem]}`, { cause });
  }

  #unkeyed(hash: Buffer): string {
    return `${UNKEYED_DIGEST}${hash.toString('base64url')}`;
  }

  #keyedDigest(id: string, hash: Buffer, binding: SecretBinding): string {
    const mac = createHmac('sha256', this.#digestKeys.get(id)!).update(additionalData(binding)).update(hash).digest('base64url');
    return `${DIGEST}${id}$${mac}`;
  }

  /** The plaintext, or why it cannot be had under the current rules. */
  #open(stored: string, binding: SecretBinding): string | { problem: SecretProblem; cause?: unknown } {
    const legacy = keyed(stored, LEGACY_PREFIX);
    const modern = keyed(stored, PREFIX);
    const sealed = modern ?? legacy;
    if (sealed === null) return this.#newest === null ? stored : { problem: 'plaintext' };
    if (!this.#keys.has(sealed.id)) return { problem: 'unknown_key' };
    if (modern === null) return { problem: 'legacy_binding' };
    try {
      return this.#decrypt(stored, PREFIX, additionalData(binding), binding);
    } catch (cause) {
      return { problem: 'does_not_authenticate', cause };
    }
  }

  /** Decrypts a value of the form `<prefix><id>$<base64url(iv|tag|body)>`; throws when it does not authenticate. */
  #decrypt(stored: string, prefix: string, aad: Buffer, binding: SecretBinding): string {
    const { id, body } = keyed(stored, prefix)!;
    const raw = Buffer.from(body, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#keys.get(id)!, raw.subarray(0, 12));
      decipher.setAAD(aad);
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw this.#error({ problem: 'does_not_authenticate', cause }, binding);
    }
  }
}
