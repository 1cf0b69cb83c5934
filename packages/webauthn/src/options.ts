import { checkOptionKeys, ConfigurationError } from '@otpkit/core';

/** Whether the authenticator must verify the user (a PIN, a fingerprint), as WebAuthn names it. */
export type UserVerification = 'required' | 'preferred' | 'discouraged';

/** The options of {@link webauthn}. */
export interface WebAuthnOptions {
  /** The site's name, shown by the browser when a credential is made ("Acme"). Required. */
  readonly rpName: string;
  /**
   * The relying party id: the site's registrable domain or a host under it, no scheme and no port
   * (`acme.example`, `login.acme.example`). Credentials are bound to it for good. Required.
   */
  readonly rpID: string;
  /**
   * The origins pages that call WebAuthn are served from (`https://acme.example`), one or several;
   * behind a proxy, the public origin the browser sees, never the backend's. Required.
   */
  readonly origins: string | readonly string[];
  /**
   * User verification asked of the authenticator when it is used as a second factor and when it is
   * registered. `required` refuses an authenticator that did not verify the user.
   * @default 'preferred'
   */
  readonly userVerification?: UserVerification;
  /**
   * Registration asks for a discoverable credential (a passkey, which can sign in without a
   * username): `required`, `preferred` or `discouraged` (a security key used as a second factor).
   * @default 'preferred'
   */
  readonly residentKey?: UserVerification;
  /**
   * Attestation asked at registration. `none` (the default) asks the authenticator for no proof
   * of its make, which keeps users' privacy and accepts every authenticator.
   * @default 'none'
   */
  readonly attestation?: 'none' | 'direct';
  /**
   * The COSE algorithms accepted for new credentials, in order of preference.
   * @default [-7, -257] (ES256, RS256)
   */
  readonly algorithms?: readonly number[];
  /**
   * Seconds a registration or authentication challenge stays valid; it is single use.
   * @default 300
   */
  readonly challengeSeconds?: number;
  /**
   * Names of authenticator models by AAGUID, added to (and overriding) the built-in list, for
   * device listings ("YubiKey 5 Series").
   * @default {}
   */
  readonly aaguidNames?: Readonly<Record<string, string>>;
}

/** The options of a webauthn plugin after resolution: every default filled in, origins a list. */
export interface ResolvedWebAuthnOptions {
  readonly rpName: string;
  readonly rpID: string;
  readonly origins: readonly string[];
  readonly userVerification: UserVerification;
  readonly residentKey: UserVerification;
  readonly attestation: 'none' | 'direct';
  readonly algorithms: readonly number[];
  readonly challengeSeconds: number;
  readonly aaguidNames: Readonly<Record<string, string>>;
}

const OPTION_KEYS = ['rpName', 'rpID', 'origins', 'userVerification', 'residentKey', 'attestation', 'algorithms', 'challengeSeconds', 'aaguidNames'];
const REQUIREMENTS: readonly string[] = ['required', 'preferred', 'discouraged'];
/** A host name: labels of letters, digits and hyphens, or `localhost`; no scheme, port or path. */
const RP_ID = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function fail(message: string): never {
  throw new ConfigurationError(`webauthn: ${message}`);
}

/** An origin as browsers write it in clientDataJSON: scheme, host and non-default port, nothing else. */
function resolveOrigin(origin: unknown, rpID: string): string {
  if (typeof origin !== 'string') fail('origins must be strings such as https://acme.example');
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return fail(`origin ${JSON.stringify(origin)} is not a URL: write it as https://acme.example`);
  }
  if (url.origin !== origin) fail(`origin ${JSON.stringify(origin)} must be just scheme, host and port: ${url.origin}`);
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === 'localhost');
  if (!secure) fail(`origin ${origin} must be https (http only for localhost): browsers refuse WebAuthn elsewhere`);
  if (url.hostname !== rpID && !url.hostname.endsWith(`.${rpID}`)) fail(`origin ${origin} is not ${rpID} or a host under it: rpID must be its domain`);
  return origin;
}

/** Validates and fills in the options, once. @throws ConfigurationError naming the fix. */
export function resolveWebAuthnOptions(input: WebAuthnOptions): ResolvedWebAuthnOptions {
  if (input === null || typeof input !== 'object') fail('options must be an object: webauthn({ rpName, rpID, origins })');
  checkOptionKeys('webauthn', input, OPTION_KEYS);
  const { rpName, rpID } = input;
  if (typeof rpName !== 'string' || rpName.trim() === '') fail('rpName is required: the site name browsers show ("Acme")');
  if (typeof rpID === 'string' && rpID !== rpID.toLowerCase()) fail(`rpID must be lower case: ${JSON.stringify(rpID.toLowerCase())}`);
  if (typeof rpID !== 'string' || !RP_ID.test(rpID)) fail('rpID is required: the site\'s domain, without scheme or port ("acme.example")');
  const list = typeof input.origins === 'string' ? [input.origins] : input.origins;
  if (!Array.isArray(list) || list.length === 0) fail('origins is required: the public origin(s) of the pages, such as https://acme.example');
  const origins = Object.freeze(list.map((origin: unknown) => resolveOrigin(origin, rpID)));
  const userVerification = input.userVerification ?? 'preferred';
  const residentKey = input.residentKey ?? 'preferred';
  for (const [field, value] of [['userVerification', userVerification], ['residentKey', residentKey]] as const) {
    if (!REQUIREMENTS.includes(value)) fail(`${field} must be 'required', 'preferred' or 'discouraged'`);
  }
  const attestation = input.attestation ?? 'none';
  if (attestation !== 'none' && attestation !== 'direct') fail("attestation must be 'none' or 'direct'");
  const algorithms = input.algorithms ?? [-7, -257];
  if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((id) => !Number.isInteger(id))) {
    fail('algorithms must list COSE algorithm ids, such as [-7, -257]');
  }
  const challengeSeconds = input.challengeSeconds ?? 300;
  if (!Number.isFinite(challengeSeconds) || challengeSeconds < 30 || challengeSeconds > 3600) fail('challengeSeconds must be from 30 to 3600');
  const aaguidNames = input.aaguidNames ?? {};
  if (aaguidNames === null || typeof aaguidNames !== 'object' || Object.values(aaguidNames).some((name) => typeof name !== 'string')) {
    fail('aaguidNames must map AAGUIDs to names');
  }
  return Object.freeze({
    rpName: rpName.trim(),
    rpID,
    origins,
    userVerification,
    residentKey,
    attestation,
    algorithms: Object.freeze([...algorithms]),
    challengeSeconds,
    aaguidNames: Object.freeze(Object.fromEntries(Object.entries(aaguidNames).map(([id, name]) => [id.toLowerCase(), name]))),
  });
}
