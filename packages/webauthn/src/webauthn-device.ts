import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual, Device, ownerUsername, ValidationError, type ChallengeContext, type ChallengeIssue, type CheckResult, type EnrolContext, type EnrolmentResult, type VerifyContext } from '@otpkit/core';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { aaguidName } from './aaguid-names.js';
import { checkAssertion } from './assertion-check.js';
import { challengeOf, isRegistration, parseWebAuthnToken, type WebAuthnToken } from './credential-token.js';
import type { ResolvedWebAuthnOptions } from './options.js';
import { checkRegistration } from './registration-check.js';
import { registrationOptions } from './registration-options.js';

/** The columns of a WebAuthn device: the credential (once registered) and its pending challenge. */
export const WEBAUTHN_COLUMNS = Object.freeze({
  credentialId: 'text?',
  publicKey: 'json?',
  signCount: 'bigint',
  transports: 'json?',
  aaguid: 'text?',
  backedUp: 'boolean',
  multiDevice: 'boolean',
  discoverable: 'boolean',
  userHandle: 'text?',
  userVerified: 'boolean',
  challenge: 'text?',
  challengeExpiresAt: 'time?',
  challengeSession: 'text?',
} as const);

/** What a WebAuthn enrolment shows: the options for `navigator.credentials.create({ publicKey })`. */
export interface WebAuthnEnrolment {
  readonly publicKey: PublicKeyCredentialCreationOptionsJSON;
}

/** A session binding as stored: its SHA-256, so the value the caller passed is never kept. */
export function bindingDigest(session: unknown): string | null {
  return typeof session === 'string' && session !== '' ? createHash('sha256').update(session).digest('base64url') : null;
}

/** A fresh challenge: 32 random bytes, base64url. */
export function freshChallenge(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * One WebAuthn credential of a user (a passkey or a security key): its id, public key, signature
 * counter, transports, AAGUID and backup flags, and the challenge of the ceremony in progress.
 * A user may have several, each its own device. Unconfirmed, the device is a registration in
 * progress (`enroll` gave the browser its creation options, `confirmDevice` takes the browser's
 * answer); confirmed, its token is an assertion answering the challenge `generateChallenge` issued.
 * Challenges are single use, expire, and are bound to the session that asked for them when the
 * caller passes one (`@otpkit/express` does).
 */
export class WebAuthnDevice extends Device<ResolvedWebAuthnOptions, WebAuthnToken> {
  static override readonly deviceType = 'webauthn';
  static override tableName = 'otp_webauthn_device';
  static override readonly columns = WEBAUTHN_COLUMNS;

  /** The browser's credential JSON (object or text), optionally wrapped as `{ credential, session }`; `null` for anything else. */
  static override parseToken(raw: unknown): WebAuthnToken | null {
    return parseWebAuthnToken(raw);
  }

  /** The credential id (base64url), or `null` before registration finished. */
  declare credentialId: string | null;
  /** The credential's COSE public key (base64url), or `null` before registration finished. */
  declare publicKey: string | null;
  /** The last signature counter the authenticator reported (0 for authenticators that keep none). */
  declare signCount: number;
  /** How the browser can reach the authenticator (`usb`, `nfc`, `ble`, `internal`, `hybrid`), or `null`. */
  declare transports: string[] | null;
  /** The authenticator model's AAGUID, or `null` (all zeros when the authenticator keeps it private). */
  declare aaguid: string | null;
  /** Whether the credential is backed up (synced passkeys). */
  declare backedUp: boolean;
  /** Whether the credential may be synced to other devices (a multi-device passkey). */
  declare multiDevice: boolean;
  /** Whether the credential is discoverable (a passkey: it can sign in without a username). */
  declare discoverable: boolean;
  /**
   * The WebAuthn user handle of this credential (base64url, random, never the user's id), or `null`
   * for a credential imported without it (then it is a second factor only, never a passkey sign-in).
   */
  declare userHandle: string | null;
  /** Whether the authenticator verified the user (PIN, biometrics) at its last use. */
  declare userVerified: boolean;
  /** The pending challenge (base64url), or `null`. */
  declare challenge: string | null;
  /** When the pending challenge expires (epoch ms), or `null`. */
  declare challengeExpiresAt: number | null;
  /** The SHA-256 of the session binding the challenge was issued to, or `null` when none was given. */
  declare challengeSession: string | null;

  /** Whether this credential is a passkey (discoverable): it can sign in without a username. */
  isPasskey(): boolean {
    return this.discoverable;
  }

  /** The authenticator model's name from its AAGUID ("YubiKey 5 Series"), or `null` when unknown. */
  authenticatorName(): string | null {
    return aaguidName(this.aaguid, this.options.aaguidNames);
  }

  /**
   * The authenticator model (from the AAGUID, else the AAGUID itself, or `null` when private),
   * whether the credential is a passkey, and whether it is backed up (synced).
   */
  override details(): { authenticator: string | null; passkey: boolean; backedUp: boolean } {
    const anonymous = this.aaguid === null || /^[0-]+$/.test(this.aaguid);
    return { authenticator: this.authenticatorName() ?? (anonymous ? null : this.aaguid), passkey: this.discoverable, backedUp: this.backedUp };
  }

  /**
   * Registration (unconfirmed device) or assertion (confirmed) against the pending challenge,
   * which must not have expired and must belong to the caller's session when it was bound to one.
   * The assertion's signature counter must increase, or stay 0 for an authenticator that keeps
   * none: else `suspected_clone`. A success clears the challenge, so no response verifies twice.
   */
  async check(token: WebAuthnToken, context: VerifyContext): Promise<CheckResult<WebAuthnDevice>> {
    const expected = token.vouchedChallenge ?? this.#pendingChallenge(token, context.now);
    if (expected === null || challengeOf(token.credential) !== expected) return null;
    const cleared = { challenge: null, challengeExpiresAt: null, challengeSession: null };
    if (!this.confirmed) {
      if (!isRegistration(token.credential)) return null;
      const registered = await checkRegistration(token.credential, expected, this.options);
      return registered === null ? null : { patch: { ...registered, ...cleared } };
    }
    if (isRegistration(token.credential) || this.credentialId === null || this.publicKey === null) return null;
    const used = await checkAssertion(token.credential, expected, this, this.options, token.requireUserVerification);
    if (used === null || 'rejected' in used) return used;
    return { patch: token.vouchedChallenge === null ? { ...used, ...cleared } : used };
  }

  /** The device's own pending challenge, when it is still valid and bound to the token's session (or to none). */
  #pendingChallenge(token: WebAuthnToken, now: number): string | null {
    const { challenge, challengeExpiresAt, challengeSession } = this;
    if (challenge === null || challengeExpiresAt === null || now >= challengeExpiresAt) return null;
    if (challengeSession !== null && !constantTimeEqual(bindingDigest(token.session) ?? '', challengeSession)) return null;
    return challenge;
  }

  /**
   * A fresh challenge: for a confirmed device, the request options of `navigator.credentials.get`
   * for this credential; for a registration in progress, new creation options. Nothing is sent,
   * so no send limit counts it; the options come back as the outcome's `request`.
   */
  override issueChallenge(now: number, context: ChallengeContext): ChallengeIssue<WebAuthnDevice> {
    const challenge = freshChallenge();
    const validUntil = now + this.options.challengeSeconds * 1000;
    const request = this.confirmed ? this.requestOptions(challenge) : registrationOptions(this.options, challenge, { id: this.userHandle!, name: this.name }, []);
    return {
      patch: { challenge, challengeExpiresAt: validUntil, challengeSession: bindingDigest(context.session) },
      validUntil,
      sends: false,
      request: request as unknown as Readonly<Record<string, unknown>>,
      deliver: async () => this.runtime.messages.translator(context.locale).t('webauthn.challenge'),
    };
  }

  /** The options of `navigator.credentials.get` for this credential and `challenge`. */
  requestOptions(challenge: string): PublicKeyCredentialRequestOptionsJSON {
    const { options } = this;
    return {
      challenge,
      timeout: options.challengeSeconds * 1000,
      rpId: options.rpID,
      allowCredentials: this.credentialId === null ? [] : [{ id: this.credentialId, type: 'public-key', ...(this.transports === null ? {} : { transports: this.transports as never }) }],
      userVerification: options.userVerification,
    };
  }

  /**
   * The creation options for the registration this device holds, excluding the user's other
   * credentials (so one authenticator is not registered twice). The account name password
   * managers show is the input's `account`, else the owner's username from the users table.
   */
  override async enroll(context: EnrolContext): Promise<EnrolmentResult<WebAuthnEnrolment>> {
    if (this.confirmed) throw new ValidationError('an imported credential has nothing to register: import it with createDevice, not enroll', { field: 'credential' });
    const model = this.constructor as typeof WebAuthnDevice;
    const others = (await model.query().where({ user_id: this.userId, confirmed: true })) as WebAuthnDevice[];
    const { account } = context.input;
    const name = typeof account === 'string' && account !== '' ? account : await ownerUsername(this.runtime.users, this.userId);
    const exclude = others.filter((device) => device.userId === this.userId && device.credentialId !== null);
    return { display: { publicKey: registrationOptions(this.options, this.challenge ?? '', { id: this.userHandle!, name }, exclude) } };
  }
}
