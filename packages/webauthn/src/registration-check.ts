import { verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server';
import type { ResolvedWebAuthnOptions } from './options.js';

/** What a verified registration stores on the device. */
export interface RegisteredCredential {
  readonly credentialId: string;
  readonly publicKey: string;
  readonly signCount: number;
  readonly transports: string[] | null;
  readonly aaguid: string;
  readonly backedUp: boolean;
  readonly multiDevice: boolean;
  readonly discoverable: boolean;
  readonly userVerified: boolean;
}

/** The longest credential id stored: 191 bytes fit the 255-character column as base64url. */
const MAX_CREDENTIAL_ID_BYTES = 191;

/**
 * Verifies a registration (attestation) against `expectedChallenge`, the configured origins, rpID
 * and algorithms, with `@simplewebauthn/server`; user verification is required only when the
 * options require it, and the response's id must be the attested credential's. Returns what to
 * store, or `null` when it does not verify.
 */
export async function checkRegistration(
  response: RegistrationResponseJSON,
  expectedChallenge: string,
  options: ResolvedWebAuthnOptions,
): Promise<RegisteredCredential | null> {
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: [...options.origins],
      expectedRPID: options.rpID,
      requireUserVerification: options.userVerification === 'required',
      supportedAlgorithmIDs: [...options.algorithms],
    });
  } catch {
    return null; // a malformed or forged response: a miss, like a wrong code
  }
  if (!verified.verified) return null;
  const { credential, aaguid, credentialBackedUp, credentialDeviceType, userVerified } = verified.registrationInfo;
  // A browser names the credential it attested; an answer naming another one was not made by a browser.
  if (credential.id !== response.id) return null;
  if (Buffer.from(credential.id, 'base64url').length > MAX_CREDENTIAL_ID_BYTES) return null;
  const transports = response.response.transports ?? credential.transports ?? null;
  return {
    credentialId: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString('base64url'),
    signCount: credential.counter,
    transports: transports === null ? null : [...transports],
    aaguid,
    backedUp: credentialBackedUp,
    multiDevice: credentialDeviceType === 'multiDevice',
    discoverable: response.clientExtensionResults?.credProps?.rk === true,
    userVerified,
  };
}
