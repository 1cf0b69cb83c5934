/**
 * Access tokens: short-lived JWTs signed with the current key and verified against the local key
 * ring, with the injected clock.
 * @module
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import type { AccessTokenClaims } from '@otpkit/core';
import type { KeyRing } from './key-ring.js';
import { SIGNING_ALGORITHMS } from './signing-keys.js';

/** The longest access token {@link verifyAccessToken} looks at. */
const MAX_JWT_LENGTH = 8192;


/** Why an access token was refused. */
export type AccessTokenRefusal = 'invalid' | 'expired' | 'revoked';

/** What {@link verifyAccessToken} answers. */
export type AccessTokenCheck = { readonly ok: true; readonly claims: AccessTokenClaims } | { readonly ok: false; readonly reason: AccessTokenRefusal };

/** Who signs and checks: the claims every token carries and the keys. */
export interface AccessTokenIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly keys: KeyRing;
}

/** Signs an access token for the given subject claims, valid from `iat` to `exp` (seconds). */
export async function signAccessToken(
  { issuer, audience, keys }: AccessTokenIssuer,
  claims: Pick<AccessTokenClaims, 'sub' | 'sid' | 'amr' | 'aal' | 'iat' | 'exp' | 'auth_time'>,
): Promise<string> {
  const { signer } = keys;
  return new SignJWT({ sid: claims.sid, amr: [...claims.amr], aal: claims.aal, auth_time: claims.auth_time })
    .setProtectedHeader({ alg: signer.algorithm, kid: signer.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(claims.sub)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .setJti(randomBytes(16).toString('base64url'))
    .sign(signer.signing);
}

/** Whether the payload has the shape otpkit writes. */
function isAccessTokenClaims(payload: Record<string, unknown>): payload is Record<string, unknown> & AccessTokenClaims {
  return (
    typeof payload.iss === 'string' &&
    typeof payload.aud === 'string' &&
    typeof payload.sub === 'string' &&
    typeof payload.sid === 'string' &&
    typeof payload.jti === 'string' &&
    typeof payload.iat === 'number' &&
    typeof payload.exp === 'number' &&
    typeof payload.auth_time === 'number' &&
    (payload.aal === 1 || payload.aal === 2) &&
    Array.isArray(payload.amr) &&
    payload.amr.every((method) => typeof method === 'string')
  );
}

/**
 * Verifies an access token statelessly at `now` (epoch ms): signature under a key of the ring
 * whose algorithm is the one in the header (so an HS256 token "signed" with a public key, or an
 * unsigned `alg: none` token, is refused), `iss`, `aud` and `exp`. Never throws.
 */
export async function verifyAccessToken({ issuer, audience, keys }: AccessTokenIssuer, jwt: unknown, now: number): Promise<AccessTokenCheck> {
  if (typeof jwt !== 'string' || jwt.length > MAX_JWT_LENGTH) return { ok: false, reason: 'invalid' };
  const keyFor = (header: JWTHeaderParameters): KeyObject => {
    const key = keys.verifier(header.kid, now);
    if (key === null || key.algorithm !== header.alg) throw new errors.JWKSNoMatchingKey();
    return key.verifying;
  };
  try {
    const { payload } = await jwtVerify(jwt, keyFor, {
      issuer,
      audience,
      algorithms: [...SIGNING_ALGORITHMS],
      currentDate: new Date(now),
      requiredClaims: ['sub', 'sid', 'iat', 'exp', 'jti', 'auth_time'],
    });
    if (!isAccessTokenClaims(payload)) return { ok: false, reason: 'invalid' };
    const { iss, aud, sub, sid, amr, aal, iat, exp, jti, auth_time } = payload;
    return { ok: true, claims: { iss, aud, sub, sid, amr, aal, iat, exp, jti, auth_time } };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}
