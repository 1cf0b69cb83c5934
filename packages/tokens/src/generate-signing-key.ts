import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ConfigurationError } from '@otpkit/core';
import { SIGNING_ALGORITHMS, type SigningAlgorithm, type SigningKey } from './signing-keys.js';

/**
 * A new random signing key for `createTokenSessions({ signingKeys })`: an Ed25519 or P-256
 * private JWK, or a 256-bit HS256 secret (base64url text). Store it with your other secrets (an
 * environment variable holding its JSON, say), never in source control.
 * @throws ConfigurationError for an unknown algorithm.
 */
export function generateSigningKey(algorithm: SigningAlgorithm, kid: string): SigningKey {
  if (!SIGNING_ALGORITHMS.includes(algorithm)) throw new ConfigurationError(`generateSigningKey: the algorithm must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
  if (algorithm === 'HS256') return { kid, algorithm, key: randomBytes(32).toString('base64url') };
  const { privateKey } = algorithm === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, algorithm, key: privateKey.export({ format: 'jwk' }) };
}
