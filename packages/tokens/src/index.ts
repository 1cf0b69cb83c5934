/**
 * @otpkit/tokens: token sessions for mobile apps and single-page applications. Short-lived JWT
 * access tokens, rotating refresh tokens with reuse detection, revocation, and the JWKS document.
 * @packageDocumentation
 */
export {
  createTokenSessions,
  TokenSessions,
  type ClientMeta,
  type IssueOptions,
  type IssuedTokens,
  type RefreshOutcome,
  type RefreshRefusal,
  type VerifyAccessTokenOptions,
} from './token-sessions.js';
export { DEFAULT_TOKEN_SESSIONS_OPTIONS, type RevocationEvent, type TokenSessionsOptions } from './options.js';
export {
  SIGNING_ALGORITHMS,
  MIN_HS256_SECRET_BYTES,
  type SigningAlgorithm,
  type SigningKey,
  type RetiredSigningKey,
} from './signing-keys.js';
export { generateSigningKey } from './generate-signing-key.js';
export type { JsonWebKeySet } from './key-ring.js';
export type { AccessTokenCheck, AccessTokenRefusal } from './access-token.js';
export type { AccessTokenClaims, TokenSession, TokenPair } from '@otpkit/core';
export { tokenSessionMigrations } from './migrations.js';
