import type { CheckRejection } from '@otpkit/core';
import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { ResolvedWebAuthnOptions } from './options.js';

/** The stored credential an assertion is checked against. */
export interface StoredCredential {
  readonly credentialId: string | null;
  readonly publicKey: string | null;
  readonly signCount: number;
  /** `null` for a credential imported without its user handle. */
  readonly userHandle: string | null;
}

/** What a verified assertion changes on the device. */
export interface UsedCredential {
  readonly signCount: number;
  readonly backedUp: boolean;
  readonly userVerified: boolean;
}

const SUSPECTED_CLONE: CheckRejection = Object.freeze({ rejected: 'suspected_clone' });

/**
 * Verifies an assertion by `credential` against `expectedChallenge`, the configured origins and
 * rpID, with `@simplewebauthn/server`; user verification is required when the options or the
 * caller (`requireUserVerification`: a passkey sign-in) require it. The credential id must be this device's, and a user handle,
 * when the authenticator returns one, must be its user handle. The counter is compared here, not
 * by the library, so a decrease is told apart from a bad signature: it must increase, or both stay
 * 0 (authenticators that keep none); else `suspected_clone`. `null` when it does not verify.
 */
export async function checkAssertion(
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  credential: StoredCredential,
  options: ResolvedWebAuthnOptions,
  requireUserVerification: boolean,
): Promise<UsedCredential | CheckRejection | null> {
  if (credential.credentialId === null || credential.publicKey === null || response.id !== credential.credentialId) return null;
  const { userHandle } = response.response;
  if (userHandle !== undefined && userHandle !== null && credential.userHandle !== null && userHandle !== credential.userHandle) return null;
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: [...options.origins],
      expectedRPID: options.rpID,
      credential: { id: credential.credentialId, publicKey: Buffer.from(credential.publicKey, 'base64url'), counter: 0 },
      requireUserVerification: requireUserVerification || options.userVerification === 'required',
    });
  } catch {
    return null;
  }
  if (!verified.verified) return null;
  const { newCounter, credentialBackedUp, userVerified } = verified.authenticationInfo;
  const previous = credential.signCount;
  if ((previous > 0 || newCounter > 0) && newCounter <= previous) return SUSPECTED_CLONE;
  return { signCount: newCounter, backedUp: credentialBackedUp, userVerified };
}
