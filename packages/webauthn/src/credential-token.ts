import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

/** The longest credential JSON accepted, as text: a registration with a long attestation fits. */
const MAX_JSON_LENGTH = 16 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const MAX_BINDING_LENGTH = 256;

/**
 * A credential the browser made (`navigator.credentials.create`: a registration) or used
 * (`navigator.credentials.get`: an assertion), as WebAuthn's JSON serialisation has it, and what
 * the server vouches for beside it.
 */
export interface WebAuthnToken {
  readonly credential: RegistrationResponseJSON | AuthenticationResponseJSON;
  /** The session binding the server passed with it (`{ credential, session }`), or `null`. */
  readonly session: string | null;
  /** A challenge the server itself issued and consumed (passkey sign-in), or `null`. */
  readonly vouchedChallenge: string | null;
  /** Whether the assertion must show user verification whatever the plugin's options say (passkey sign-in). */
  readonly requireUserVerification: boolean;
}

/**
 * An assertion whose challenge the server checked and consumed itself (a passkey sign-in's
 * ceremony): only server code can make one, since no JSON body is an instance of a class.
 */
export class VouchedAssertion {
  constructor(
    readonly credential: AuthenticationResponseJSON,
    readonly challenge: string,
    readonly requireUserVerification: boolean,
  ) {}
}

function isBase64Url(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength && BASE64URL.test(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The credential JSON in `value` (an object, or its JSON text), or `null` when it is not one. */
export function parseCredential(value: unknown): RegistrationResponseJSON | AuthenticationResponseJSON | null {
  let json = value;
  if (typeof value === 'string') {
    if (value.length > MAX_JSON_LENGTH || !value.trimStart().startsWith('{')) return null;
    try {
      json = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (!isRecord(json) || json.type !== 'public-key' || !isBase64Url(json.id, 1400) || json.rawId !== json.id) return null;
  const { response } = json;
  if (!isRecord(response) || !isBase64Url(response.clientDataJSON, 4096)) return null;
  if (json.clientExtensionResults !== undefined && !isRecord(json.clientExtensionResults)) return null;
  const registration = isBase64Url(response.attestationObject, MAX_JSON_LENGTH);
  const assertion = isBase64Url(response.authenticatorData, 4096) && isBase64Url(response.signature, 1024);
  if (registration === assertion) return null;
  if (response.userHandle !== undefined && response.userHandle !== null && !isBase64Url(response.userHandle, 128)) return null;
  if (response.transports !== undefined && (!Array.isArray(response.transports) || response.transports.some((t) => typeof t !== 'string'))) return null;
  return { ...json, clientExtensionResults: json.clientExtensionResults ?? {} } as unknown as RegistrationResponseJSON | AuthenticationResponseJSON;
}

/**
 * Parses what a caller sent as a WebAuthn token: the browser's credential JSON (object or text),
 * the same wrapped with the session binding (`{ credential, session }`, as `@otpkit/express` sends
 * it), or a {@link VouchedAssertion}. `null` when it is none of them.
 */
export function parseWebAuthnToken(raw: unknown): WebAuthnToken | null {
  if (raw instanceof VouchedAssertion) {
    return { credential: raw.credential, session: null, vouchedChallenge: raw.challenge, requireUserVerification: raw.requireUserVerification };
  }
  if (isRecord(raw) && 'credential' in raw) {
    const { session } = raw;
    if (session !== undefined && session !== null && (typeof session !== 'string' || session === '' || session.length > MAX_BINDING_LENGTH)) return null;
    const credential = parseCredential(raw.credential);
    return credential === null ? null : { credential, session: (session as string | undefined) ?? null, vouchedChallenge: null, requireUserVerification: false };
  }
  const credential = parseCredential(raw);
  return credential === null ? null : { credential, session: null, vouchedChallenge: null, requireUserVerification: false };
}

/** Whether a parsed credential is a registration (an attestation) rather than an assertion. */
export function isRegistration(credential: RegistrationResponseJSON | AuthenticationResponseJSON): credential is RegistrationResponseJSON {
  return 'attestationObject' in credential.response;
}

/** The challenge a credential's clientDataJSON carries, or `null` when it cannot be read. */
export function challengeOf(credential: RegistrationResponseJSON | AuthenticationResponseJSON): string | null {
  try {
    const client = JSON.parse(Buffer.from(credential.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return isBase64Url(client.challenge, 256) ? client.challenge : null;
  } catch {
    return null;
  }
}
