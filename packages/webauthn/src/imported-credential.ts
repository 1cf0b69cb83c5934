import { ValidationError, type CreateDeviceInput, type DevicePurpose } from '@otpkit/core';
import { cose, decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';

/** A credential registered elsewhere, as `createDevice('webauthn', user, { confirmed: true, credential })` imports it. */
export interface ImportedCredential {
  /** The credential id, base64url. */
  readonly id: string;
  /** The COSE public key, base64url. */
  readonly publicKey: string;
  /** The last signature counter seen. @default 0 */
  readonly signCount?: number;
  /** The transports the browser reported. @default null */
  readonly transports?: readonly string[] | null;
  /** The user handle the credential was made for (base64url); without it the credential is a second factor only (no passkey sign-in). @default null */
  readonly userHandle?: string;
  /** The authenticator's AAGUID. @default null */
  readonly aaguid?: string | null;
  /** Whether the credential is a passkey (discoverable). @default false */
  readonly discoverable?: boolean;
  /** Whether it is backed up (synced). @default false */
  readonly backedUp?: boolean;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const AAGUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function invalid(message: string, field = 'credential'): never {
  throw new ValidationError(message, { field });
}

function base64url(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.length > maxLength || !BASE64URL.test(value)) invalid(`credential.${field} must be base64url text`, field);
  return value;
}

/** The parameters each key type needs (COSE labels): EC2 a curve and x, y; OKP a curve and x; RSA n and e. */
const KEY_PARAMETERS: Readonly<Record<number, readonly number[]>> = Object.freeze({
  [cose.COSEKTY.EC2]: [-1, -2, -3],
  [cose.COSEKTY.OKP]: [-1, -2],
  [cose.COSEKTY.RSA]: [-1, -2],
});

/** Whether `publicKey` (base64url) is a COSE public key: a map with a key type, an algorithm and the key type's parameters. */
function isCosePublicKey(publicKey: string): boolean {
  let key: unknown;
  try {
    key = decodeCredentialPublicKey(Buffer.from(publicKey, 'base64url'));
  } catch {
    return false;
  }
  if (!(key instanceof Map) || !cose.isCOSEAlg(key.get(cose.COSEKEYS.alg))) return false;
  const parameters = KEY_PARAMETERS[key.get(cose.COSEKEYS.kty) as number];
  return parameters !== undefined && parameters.every((label) => key.get(label) instanceof Uint8Array || Number.isInteger(key.get(label)));
}

/**
 * The purpose of a credential imported without a user handle: no passkey sign-in can find it, so
 * it is a second factor only.
 * @throws ValidationError when the caller asked for it to sign in.
 */
function secondFactorOnly(requested: DevicePurpose | undefined): DevicePurpose {
  if (requested !== undefined && requested !== 'second-factor') {
    invalid('a credential imported without a userHandle cannot sign in: import it with its userHandle, or as a second-factor', 'purpose');
  }
  return 'second-factor';
}

/**
 * The device fields of an imported credential, checked: a base64url id of at most 191 bytes, a
 * public key that decodes as a COSE key, a counter, transports, an AAGUID; without a user handle,
 * the `second-factor` purpose.
 * @throws ValidationError naming the bad field.
 */
export function importedFields(input: Readonly<CreateDeviceInput & { credential?: ImportedCredential }>): Record<string, unknown> {
  const credential = input.credential;
  if (input.confirmed !== true) invalid('an imported credential is confirmed: pass confirmed: true', 'confirmed');
  if (credential === null || typeof credential !== 'object') invalid('credential must be an object with id and publicKey');
  const id = base64url(credential.id, 'id', 255);
  const publicKey = base64url(credential.publicKey, 'publicKey', 2048);
  if (!isCosePublicKey(publicKey)) invalid('credential.publicKey is not a COSE public key', 'publicKey');
  const signCount = credential.signCount ?? 0;
  if (!Number.isSafeInteger(signCount) || signCount < 0) invalid('credential.signCount must be an integer >= 0', 'signCount');
  const transports = credential.transports ?? null;
  if (transports !== null && (!Array.isArray(transports) || transports.some((t) => typeof t !== 'string' || t.length > 32))) {
    invalid('credential.transports must list transport names', 'transports');
  }
  const aaguid = credential.aaguid ?? null;
  if (aaguid !== null && (typeof aaguid !== 'string' || !AAGUID.test(aaguid))) invalid('credential.aaguid must be a UUID', 'aaguid');
  return {
    credentialId: id,
    publicKey,
    signCount,
    transports: transports === null ? null : [...transports],
    aaguid,
    backedUp: credential.backedUp === true,
    multiDevice: credential.backedUp === true,
    discoverable: credential.discoverable === true,
    userHandle: credential.userHandle === undefined ? null : base64url(credential.userHandle, 'userHandle', 128),
    ...(credential.userHandle === undefined ? { purpose: secondFactorOnly(input.purpose) } : {}),
    userVerified: false,
    challenge: null,
    challengeExpiresAt: null,
    challengeSession: null,
  };
}
