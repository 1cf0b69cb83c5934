/**
 * The signing keys of access tokens: parsed and checked at start-up, looked up by `kid` when a
 * token is verified, and published (public parts only) as a JWKS document.
 * @module
 */
import { createPrivateKey, createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { ConfigurationError } from '@otpkit/core';

/** The JWS algorithms access tokens may be signed with. */
export const SIGNING_ALGORITHMS = Object.freeze(['EdDSA', 'ES256', 'HS256'] as const);

/** A JWS algorithm access tokens may be signed with: Ed25519, P-256 ECDSA or HMAC-SHA-256. */
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** The shortest HS256 secret accepted, in bytes. */
export const MIN_HS256_SECRET_BYTES = 32;

/** A key access tokens are signed with. */
export interface SigningKey {
  /** The key id, written in each token's header and in the JWKS: unique among all keys. */
  readonly kid: string;
  readonly algorithm: SigningAlgorithm;
  /**
   * EdDSA (Ed25519) and ES256 (P-256): the private JWK. HS256: the shared secret, at least 32
   * bytes (a string counts as its UTF-8 bytes). HS256 tokens can only be verified by holders of
   * the secret, so they never appear in the JWKS.
   */
  readonly key: JsonWebKey | string | Uint8Array;
}

/** A key that no longer signs but still verifies tokens for a grace period after `retiredAt`. */
export interface RetiredSigningKey extends SigningKey {
  /** Epoch ms: when it stopped signing. */
  readonly retiredAt: number;
}

/** A parsed key: the key objects to sign and verify with, and its public JWK (asymmetric keys). */
export interface ParsedKey {
  readonly kid: string;
  readonly algorithm: SigningAlgorithm;
  /** The key that signs (private or secret). */
  readonly signing: KeyObject;
  /** The key that verifies (public or secret). */
  readonly verifying: KeyObject;
  /** The public JWK for the JWKS, or `null` for an HS256 secret. */
  readonly publicJwk: JsonWebKey | null;
}

const KID = /^[\x21-\x7e]{1,64}$/;

function asymmetricKey(where: string, algorithm: 'EdDSA' | 'ES256', key: SigningKey['key']): KeyObject {
  if (key === null || typeof key !== 'object' || key instanceof Uint8Array || typeof key.d !== 'string') {
    throw new ConfigurationError(`${where}.key must be the private JWK of the ${algorithm} key (with "d"): make one with generateSigningKey('${algorithm}', kid)`);
  }
  let parsed: KeyObject;
  try {
    parsed = createPrivateKey({ key, format: 'jwk' });
  } catch (cause) {
    throw new ConfigurationError(`${where}.key is not a valid private JWK: make one with generateSigningKey('${algorithm}', kid)`, { cause });
  }
  const fits =
    algorithm === 'EdDSA' ? parsed.asymmetricKeyType === 'ed25519' : parsed.asymmetricKeyType === 'ec' && parsed.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (!fits) throw new ConfigurationError(`${where}.key does not fit ${algorithm}: EdDSA needs an Ed25519 key, ES256 a P-256 key`);
  return parsed;
}

function secretKey(where: string, key: SigningKey['key']): KeyObject {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key instanceof Uint8Array ? key : null;
  if (bytes === null || bytes.length < MIN_HS256_SECRET_BYTES) {
    throw new ConfigurationError(`${where}.key must be a secret of at least ${MIN_HS256_SECRET_BYTES} bytes for HS256: make one with generateSigningKey('HS256', kid)`);
  }
  return createSecretKey(bytes);
}

/**
 * Parses and checks one configured key.
 * @throws ConfigurationError naming the key (`where`) and the fix.
 */
export function parseSigningKey(where: string, input: unknown): ParsedKey {
  if (input === null || typeof input !== 'object') throw new ConfigurationError(`${where} must be { kid, algorithm, key }`);
  const { kid, algorithm, key } = input as SigningKey;
  if (typeof kid !== 'string' || !KID.test(kid)) throw new ConfigurationError(`${where}.kid must be 1 to 64 printable ASCII characters without spaces`);
  if (!SIGNING_ALGORITHMS.includes(algorithm)) throw new ConfigurationError(`${where}.algorithm must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
  if (algorithm === 'HS256') {
    const secret = secretKey(where, key);
    return { kid, algorithm, signing: secret, verifying: secret, publicJwk: null };
  }
  const signing = asymmetricKey(where, algorithm, key);
  const verifying = createPublicKey(signing);
  return { kid, algorithm, signing, verifying, publicJwk: { ...verifying.export({ format: 'jwk' }), kid, alg: algorithm, use: 'sig' } };
}
