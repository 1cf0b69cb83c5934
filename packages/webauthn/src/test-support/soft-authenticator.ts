import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { encodeCbor, type CborValue } from './cbor.js';

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_BACKUP_ELIGIBLE = 0x08;
const FLAG_BACKED_UP = 0x10;
const FLAG_ATTESTED_DATA = 0x40;
/** The AAGUID this authenticator reports (all zeros would mean "private"). */
export const SOFT_AAGUID = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';

/** How a {@link SoftAuthenticator} answers: what it claims and where the page runs. */
export interface SoftAuthenticatorOptions {
  /** The page's origin in clientDataJSON. @default 'https://acme.example' */
  readonly origin?: string;
  /** The rpID whose hash the authenticator data carries. @default the options' rp id */
  readonly rpID?: string;
  /** Whether it verifies the user (UV flag). @default true */
  readonly userVerification?: boolean;
  /** Whether it keeps a signature counter; without one, every counter is 0. @default true */
  readonly keepsCounter?: boolean;
  /** Whether it is a synced passkey (backup eligible and backed up). @default false */
  readonly synced?: boolean;
  /** Whether it makes discoverable credentials (credProps.rk). @default true */
  readonly residentKey?: boolean;
  /** The id (base64url) of the credentials it makes, as a malicious authenticator may choose it. @default 32 random bytes */
  readonly credentialId?: string;
}

interface Credential {
  readonly id: Buffer;
  readonly privateKey: KeyObject;
  readonly userHandle: string;
  readonly rpID: string;
  counter: number;
}

const b64url = (bytes: Buffer | Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

/**
 * A WebAuthn authenticator in software, for tests: ES256 credentials, `none` attestation, and the
 * JSON a browser returns from `navigator.credentials.create` and `.get`, computed as an
 * authenticator does (rpId hash, flags, counter, COSE key, signature over authenticator data and
 * the client data hash). It can lie where a test needs it: another origin or rpID, a counter set back.
 */
export class SoftAuthenticator {
  readonly #options: SoftAuthenticatorOptions;
  readonly #credentials: Credential[] = [];

  constructor(options: SoftAuthenticatorOptions = {}) {
    this.#options = options;
  }

  /**
   * Makes a credential outside any ceremony, as another system registered it: what
   * `createDevice('webauthn', user, { confirmed: true, credential })` imports.
   */
  createCredential(rpID: string, userHandle: string): { id: string; publicKey: string; userHandle: string; signCount: number } {
    const { credential, coseKey } = this.#newCredential(rpID, userHandle, this.#options);
    return { id: b64url(credential.id), publicKey: b64url(coseKey), userHandle, signCount: credential.counter };
  }

  /** Makes a credential for the creation options, as `navigator.credentials.create` returns it. */
  register(options: PublicKeyCredentialCreationOptionsJSON, overrides: Partial<SoftAuthenticatorOptions> = {}): RegistrationResponseJSON {
    const setting = { ...this.#options, ...overrides };
    const rpID = setting.rpID ?? options.rp.id!;
    const { credential, coseKey } = this.#newCredential(rpID, options.user.id, setting);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credential.id.length);
    const attested = Buffer.concat([Buffer.from(SOFT_AAGUID.replaceAll('-', ''), 'hex'), idLength, credential.id, coseKey]);
    const authData = Buffer.concat([this.#authDataHead(rpID, setting, credential.counter, FLAG_ATTESTED_DATA), attested]);
    const clientData = this.#clientData('webauthn.create', options.challenge, setting);
    const attestationObject = encodeCbor(new Map<CborValue, CborValue>([['fmt', 'none'], ['attStmt', new Map<CborValue, CborValue>()], ['authData', authData]]));
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: { clientDataJSON: b64url(clientData), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: { credProps: { rk: setting.residentKey !== false } },
      authenticatorAttachment: 'platform',
    };
  }

  /**
   * Signs the request options' challenge with the credential they allow (or, for a usernameless
   * request, this authenticator's first credential for the rp), as `navigator.credentials.get`
   * returns it. `counter` sets the signature counter (a clone's), else it increases.
   */
  assert(options: PublicKeyCredentialRequestOptionsJSON, overrides: Partial<SoftAuthenticatorOptions> & { counter?: number } = {}): AuthenticationResponseJSON {
    const setting = { ...this.#options, ...overrides };
    const allowed = new Set((options.allowCredentials ?? []).map((descriptor) => descriptor.id));
    const credential = this.#credentials.find((candidate) => (allowed.size === 0 ? candidate.rpID === options.rpId : allowed.has(b64url(candidate.id))));
    if (credential === undefined) throw new Error('the soft authenticator holds no credential these options allow');
    if (overrides.counter !== undefined) credential.counter = overrides.counter;
    else if (setting.keepsCounter !== false) credential.counter += 1;
    const authData = this.#authDataHead(setting.rpID ?? credential.rpID, setting, credential.counter, 0);
    const clientData = this.#clientData('webauthn.get', options.challenge, setting);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  #newCredential(rpID: string, userHandle: string, setting: SoftAuthenticatorOptions): { credential: Credential; coseKey: Buffer } {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const id = setting.credentialId === undefined ? randomBytes(32) : Buffer.from(setting.credentialId, 'base64url');
    const credential: Credential = { id, privateKey, userHandle, rpID, counter: setting.keepsCounter === false ? 0 : 1 };
    this.#credentials.push(credential);
    const coseKey = encodeCbor(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    return { credential, coseKey };
  }

  #authDataHead(rpID: string, setting: SoftAuthenticatorOptions, counter: number, extraFlags: number): Buffer {
    let flags = FLAG_USER_PRESENT | extraFlags;
    if (setting.userVerification !== false) flags |= FLAG_USER_VERIFIED;
    if (setting.synced === true) flags |= FLAG_BACKUP_ELIGIBLE | FLAG_BACKED_UP;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpID), Buffer.from([flags]), count]);
  }

  #clientData(type: string, challenge: string, setting: SoftAuthenticatorOptions): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: setting.origin ?? 'https://acme.example', crossOrigin: false }));
  }
}

/** `response` with one byte of its signature changed: well-formed, never valid. */
export function tamperedSignature(response: AuthenticationResponseJSON): AuthenticationResponseJSON {
  const signature = Buffer.from(response.response.signature, 'base64url');
  signature[signature.length - 1]! ^= 0x01;
  return { ...response, response: { ...response.response, signature: b64url(signature) } };
}
