import type { JsonWebKey } from 'node:crypto';
import { ConfigurationError } from '@otpkit/core';
import { parseSigningKey, type ParsedKey } from './signing-keys.js';

/** A key with the time (epoch ms) it stops verifying, `Infinity` for a current key. */
interface HeldKey {
  readonly key: ParsedKey;
  readonly verifiesUntil: number;
}

/** The public JWKS document: the keys that verify access tokens. */
export interface JsonWebKeySet {
  readonly keys: JsonWebKey[];
}

/**
 * The configured keys: the first signing key signs; every signing key, and every retired key
 * until the end of its grace, verifies.
 */
export class KeyRing {
  readonly #held: ReadonlyMap<string, HeldKey>;
  /** The key new tokens are signed with. */
  readonly signer: ParsedKey;

  /** @throws ConfigurationError for an empty list, a bad key or a repeated `kid`. */
  constructor(signingKeys: unknown, retiredKeys: unknown, graceSeconds: number) {
    if (!Array.isArray(signingKeys) || signingKeys.length === 0) {
      throw new ConfigurationError("createTokenSessions: signingKeys must list at least one key (the first signs): make one with generateSigningKey('EdDSA', kid)");
    }
    if (!Array.isArray(retiredKeys)) throw new ConfigurationError('createTokenSessions: retiredKeys must be a list of keys with retiredAt');
    const held = [
      ...signingKeys.map((input, index) => ({ key: parseSigningKey(`signingKeys[${index}]`, input), verifiesUntil: Infinity })),
      ...retiredKeys.map((input: unknown, index) => {
        const retiredAt = (input as { retiredAt?: unknown } | null)?.retiredAt;
        if (typeof retiredAt !== 'number' || !Number.isSafeInteger(retiredAt)) {
          throw new ConfigurationError(`retiredKeys[${index}].retiredAt must be the epoch ms the key stopped signing`);
        }
        return { key: parseSigningKey(`retiredKeys[${index}]`, input), verifiesUntil: retiredAt + graceSeconds * 1000 };
      }),
    ];
    const byKid = new Map<string, HeldKey>();
    for (const entry of held) {
      if (byKid.has(entry.key.kid)) throw new ConfigurationError(`createTokenSessions: the kid "${entry.key.kid}" is used twice: every key needs its own kid`);
      byKid.set(entry.key.kid, entry);
    }
    this.#held = byKid;
    this.signer = held[0]!.key;
  }

  /** The key with this `kid` if it still verifies at `now`, else `null`. */
  verifier(kid: unknown, now: number): ParsedKey | null {
    const entry = typeof kid === 'string' ? this.#held.get(kid) : undefined;
    return entry !== undefined && now < entry.verifiesUntil ? entry.key : null;
  }

  /** The public keys that verify at `now` (EdDSA and ES256 only: HS256 secrets are never published). */
  jwks(now: number): JsonWebKeySet {
    const keys = [...this.#held.values()]
      .filter((entry) => now < entry.verifiesUntil && entry.key.publicJwk !== null)
      .map((entry) => ({ ...entry.key.publicJwk! }));
    return { keys };
  }
}
