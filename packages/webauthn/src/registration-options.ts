import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { ResolvedWebAuthnOptions } from './options.js';

/** A registered credential to exclude from a new registration. */
export interface ExcludedCredential {
  readonly credentialId: string | null;
  readonly transports: string[] | null;
}

/**
 * The options of `navigator.credentials.create({ publicKey })` for a registration: the site, the
 * user (by their random user handle; `name` is what password managers show), the accepted
 * algorithms, attestation, user verification and resident key as configured, the credentials to
 * exclude, and the `credProps` extension (so the server learns whether a passkey was made).
 */
export function registrationOptions(
  options: ResolvedWebAuthnOptions,
  challenge: string,
  user: { readonly id: string; readonly name: string },
  exclude: readonly ExcludedCredential[],
): PublicKeyCredentialCreationOptionsJSON {
  return {
    challenge,
    rp: { name: options.rpName, id: options.rpID },
    user: { id: user.id, name: user.name, displayName: user.name },
    pubKeyCredParams: options.algorithms.map((alg) => ({ alg, type: 'public-key' })),
    timeout: options.challengeSeconds * 1000,
    attestation: options.attestation,
    excludeCredentials: exclude
      .filter((credential) => credential.credentialId !== null)
      .map((credential) => ({
        id: credential.credentialId!,
        type: 'public-key',
        ...(credential.transports === null ? {} : { transports: credential.transports as never }),
      })),
    authenticatorSelection: {
      residentKey: options.residentKey,
      requireResidentKey: options.residentKey === 'required',
      userVerification: options.userVerification,
    },
    extensions: { credProps: true },
  };
}
