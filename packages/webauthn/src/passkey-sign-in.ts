import { checkOptionKeys, ConfigurationError, type EventMeta, type Otp } from '@otpkit/core';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { challengeOf, isRegistration, parseCredential, VouchedAssertion } from './credential-token.js';
import type { ResolvedWebAuthnOptions } from './options.js';
import { spendCeremony, storeCeremony } from './passkey-ceremonies.js';
import { bindingDigest, freshChallenge, WebAuthnDevice } from './webauthn-device.js';

/** Binds a passkey ceremony to the session that started it (`@otpkit/express` passes its session binding). */
export interface PasskeyBinding {
  /** A secret value of the session (never its id); the ceremony is then finished only with the same value. */
  readonly session?: string | undefined;
}

/** A started passkey sign-in: the options of `navigator.credentials.get` (no credential listed: the user picks a passkey). */
export interface PasskeyStart {
  readonly request: PublicKeyCredentialRequestOptionsJSON;
  /** Until when (epoch ms) the challenge can be answered. */
  readonly validUntil: number;
}

/**
 * The result of a passkey sign-in: the user and the passkey, or one refusal for every failure
 * (an unknown credential, a bad signature, a spent or expired challenge, no user verification),
 * so the answer tells nothing about which accounts or credentials exist.
 */
export type PasskeyOutcome =
  | { readonly ok: true; readonly userId: string; readonly device: WebAuthnDevice; readonly userVerified: boolean }
  | { readonly ok: false; readonly reason: 'invalid_token' | 'malformed_token' };

/** The options of {@link PasskeySignIn}. */
export interface PasskeySignInOptions {
  /** The device type of the webauthn plugin whose passkeys sign in. @default 'webauthn' */
  readonly type?: string;
  /**
   * Whether the account a passkey belongs to may sign in now (not disabled, locked or deleted):
   * a passkey skips the application's password check, so this is where the application refuses.
   * Checked before the assertion; a `false` is the same refusal as any failure.
   * @default every account may
   */
  readonly allowUser?: (userId: string) => boolean | Promise<boolean>;
}

const REFUSED = Object.freeze({ ok: false, reason: 'invalid_token' } as const);
const MALFORMED = Object.freeze({ ok: false, reason: 'malformed_token' } as const);

/**
 * Passkey sign-in without a username (a passwordless first factor): `start` stores a challenge
 * that names no user, `finish` spends it and finds the user from the credential and its user
 * handle, then verifies the assertion through `otp.verifyLogin` under the device's row lock
 * (counter and clone checks included; reported as `verified`): a passkey enrolled as a
 * `second-factor` only never signs in. User verification is required, so a passkey
 * sign-in proves two factors: something the user has and their PIN or biometrics.
 */
export class PasskeySignIn {
  /** The device type of the webauthn plugin whose passkeys sign in. */
  readonly type: string;
  readonly #otp: Otp;
  readonly #options: ResolvedWebAuthnOptions;
  readonly #allowUser: (userId: string) => boolean | Promise<boolean>;

  /**
   * @param otp an instance with a webauthn plugin.
   * @throws ConfigurationError when `otp` has no such plugin, or for bad options.
   */
  constructor(otp: Otp, options: PasskeySignInOptions = {}) {
    if (options === null || typeof options !== 'object') throw new ConfigurationError('PasskeySignIn: options must be an object: { type?, allowUser? }');
    checkOptionKeys('PasskeySignIn', options, ['type', 'allowUser']);
    const { type = 'webauthn', allowUser = () => true } = options;
    if (typeof allowUser !== 'function') throw new ConfigurationError('PasskeySignIn: allowUser must be a function (userId) => boolean');
    const plugin = otp.plugins.find((candidate) => candidate.type === type);
    // The plugin's model is WebAuthnDevice itself, or a subclass of it.
    if (plugin === undefined || !(plugin.model === WebAuthnDevice || plugin.model.prototype instanceof WebAuthnDevice)) {
      throw new ConfigurationError(`PasskeySignIn: no webauthn plugin of type "${type}": add webauthn({ … }) to createOtp's devices`);
    }
    this.#otp = otp;
    this.type = type;
    this.#options = plugin.options as ResolvedWebAuthnOptions;
    this.#allowUser = allowUser;
  }

  /** Starts a sign-in: a fresh challenge, stored (with its session binding) for `challengeSeconds`. */
  async start(binding: PasskeyBinding = {}): Promise<PasskeyStart> {
    const now = this.#otp.clock();
    const challenge = freshChallenge();
    const validUntil = now + this.#options.challengeSeconds * 1000;
    await storeCeremony(this.#otp.knex, { challenge, session: bindingDigest(binding.session), expiresAt: validUntil }, now);
    const request: PublicKeyCredentialRequestOptionsJSON = {
      challenge,
      timeout: this.#options.challengeSeconds * 1000,
      rpId: this.#options.rpID,
      allowCredentials: [],
      userVerification: 'required',
    };
    return { request, validUntil };
  }

  /**
   * Finishes a sign-in with the browser's assertion (object or JSON text): spends the challenge
   * (bound to `binding.session`), finds the confirmed passkey by credential id and user handle,
   * asks `allowUser` about its owner, and verifies it. A `malformed_token` only for input that is no assertion at all.
   */
  async finish(token: unknown, binding: PasskeyBinding = {}, meta?: EventMeta): Promise<PasskeyOutcome> {
    const credential = parseCredential(token);
    if (credential === null || isRegistration(credential)) return MALFORMED;
    const challenge = challengeOf(credential);
    if (challenge === null) return REFUSED;
    if (!(await spendCeremony(this.#otp.knex, challenge, bindingDigest(binding.session), this.#otp.clock()))) return REFUSED;
    const device = await this.#passkeyOf(credential);
    if (device === null || (await this.#allowUser(device.userId)) !== true) return REFUSED;
    const outcome = await this.#otp.verifyLogin(device.userId, device.persistentId, new VouchedAssertion(credential, challenge, true), meta);
    if (!outcome.ok) return REFUSED;
    const verified = outcome.device as unknown as WebAuthnDevice;
    return { ok: true, userId: verified.userId, device: verified, userVerified: verified.userVerified };
  }

  /** The one confirmed device with this credential id and user handle, or `null`. */
  async #passkeyOf(credential: AuthenticationResponseJSON): Promise<WebAuthnDevice | null> {
    const { userHandle } = credential.response;
    if (typeof userHandle !== 'string' || userHandle === '') return null;
    const model = this.#otp.model(this.type);
    const found = (await model.query().where({ credential_id: credential.id, confirmed: true })) as unknown as WebAuthnDevice[];
    // Byte-exact, whatever the database's collation: a look-alike id or another user's handle is no match.
    const matches = found.filter((device) => device.credentialId === credential.id && device.userHandle === userHandle);
    return matches.length === 1 ? matches[0]! : null;
  }
}
