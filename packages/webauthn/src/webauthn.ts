import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineDevicePlugin, deviceTablesMigration, ValidationError, type CreateDeviceInput, type DevicePlugin } from '@otpkit/core';
import { passkeyCeremonyMigration } from './passkey-ceremonies.js';
import { bindingDigest, freshChallenge, WebAuthnDevice } from './webauthn-device.js';
import { resolveWebAuthnOptions, type WebAuthnOptions } from './options.js';
import { importedFields, type ImportedCredential } from './imported-credential.js';

/** What `createDevice('webauthn', …)` and `enroll` take besides a name. */
export interface WebAuthnDeviceInput {
  /**
   * The session binding the registration is tied to (`@otpkit/express` passes it): the browser's
   * answer is accepted only with the same binding.
   */
  readonly session?: string;
  /** The account name password managers show for the passkey. @default the owner's username (users table) */
  readonly account?: string;
  /**
   * A credential registered elsewhere, to import as a confirmed device (`confirmed: true`): moving
   * users' passkeys from another system without asking them to register again.
   */
  readonly credential?: ImportedCredential;
}

/**
 * The browser script that runs the ceremonies in the page (`navigator.credentials`), served by
 * `@otpkit/express`'s login views and importable by single-page apps (`@otpkit/webauthn/browser`).
 */
export const WEBAUTHN_BROWSER_SCRIPT = fileURLToPath(new URL('../browser/otpkit-webauthn.js', import.meta.url));

/** The WebAuthn tokens' entropy: an assertion is a signature, never guessed. */
const SIGNATURE_BITS = 128;

/**
 * The WebAuthn device plugin: passkeys and security keys, each credential its own device.
 * `enroll('webauthn', user)` returns the options of `navigator.credentials.create` (`display.publicKey`)
 * and `confirmDevice` takes the browser's answer; then `generateChallenge` returns the options of
 * `navigator.credentials.get` (`request`) and `verify`/`match` take the assertion. Challenges are
 * single use, expire after `challengeSeconds` and are stored in the database, so any process can
 * finish a ceremony. Passkey sign-in without a username: {@link PasskeySignIn}. A new credential's
 * purpose is `both` unless the caller narrows it; one imported without a user handle is a
 * `second-factor` only, since no passkey sign-in can find it.
 * @throws ConfigurationError for bad options, naming the fix.
 */
export function webauthn(options: WebAuthnOptions): DevicePlugin<typeof WebAuthnDevice, WebAuthnDeviceInput> {
  const resolved = resolveWebAuthnOptions(options);
  return defineDevicePlugin<typeof WebAuthnDevice, WebAuthnDeviceInput>({
    model: WebAuthnDevice,
    options: resolved,
    tokenEntropyBits: SIGNATURE_BITS,
    defaultName: 'Passkey',
    // A passkey already signs in on its own (PasskeySignIn) and serves as a second factor.
    defaultPurpose: 'both',
    bindsSession: true,
    browserScript: WEBAUTHN_BROWSER_SCRIPT,
    migrations: [deviceTablesMigration(WebAuthnDevice), passkeyCeremonyMigration],
    initialize: (input, { now }) => (input.credential !== undefined ? importedFields(input) : checkInput(input) && {
      credentialId: null,
      publicKey: null,
      signCount: 0,
      transports: null,
      aaguid: null,
      backedUp: false,
      multiDevice: false,
      discoverable: false,
      userHandle: randomBytes(32).toString('base64url'),
      userVerified: false,
      challenge: freshChallenge(),
      challengeExpiresAt: now + resolved.challengeSeconds * 1000,
      challengeSession: bindingDigest(input.session),
    }),
  });
}

/** Refuses what cannot start a registration. @throws ValidationError */
function checkInput(input: Readonly<CreateDeviceInput & WebAuthnDeviceInput>): true {
  if (input.confirmed === true) {
    throw new ValidationError("a WebAuthn device is confirmed by the browser's answer to its registration (enrol it, then confirmDevice), or imported with its credential", { field: 'confirmed' });
  }
  const { session } = input;
  if (session !== undefined && (typeof session !== 'string' || session === '' || session.length > 256)) {
    throw new ValidationError('session must be a non-empty string of at most 256 characters', { field: 'session' });
  }
  return true;
}
