import type { ColumnSpec } from './columns.js';
import { Device } from './device.js';
import { ConfigurationError } from './errors.js';
import { checkOptionKeys } from './option-keys.js';
import { isHttpUrl, keyUri } from './key-uri.js';
import { encodeBase32, groupForDisplay, OATH_ALGORITHMS, type OathAlgorithm, type OathDigits } from './oath.js';
import type { EnrolContext, EnrolmentResult } from './hooks.js';
import { MAX_OATH_KEY_BYTES, MIN_OATH_KEY_BYTES } from './oath-key-input.js';
import { ownerUsername } from './owner-username.js';
import type { ThrottlePolicy } from './throttle.js';
import type { VerifyContext } from './verify-context.js';

/** The options every OATH plugin (TOTP, HOTP) shares. */
export interface OathPluginOptions<D = OathDevice> {
  /**
   * The service name authenticator apps show: the Key-URI label's prefix and its `issuer`
   * parameter (colons are removed). A function is called with the device, e.g. to name a tenant.
   * `null` leaves the issuer out.
   * @default null
   */
  readonly issuer: string | ((device: D) => string) | null;
  /** An absolute http(s) URL of a logo, written as the Key-URI's `image` parameter. @default null */
  readonly image: string | null;
  /** The HMAC algorithm of new devices: `'sha1'`, `'sha256'` or `'sha512'`. @default 'sha1' */
  readonly algorithm: OathAlgorithm;
  /** The length in bytes of generated keys (16 to 64). @default 20 */
  readonly keyBytes: number;
  /** Throttling of failed verifications (django-otp's `OTP_*_THROTTLE_FACTOR`). @default { factor: 1 } */
  readonly throttle: Partial<ThrottlePolicy>;
}

/**
 * Resolves an OATH plugin's options: `defaults` overlaid with the fields of `input` that are not
 * `undefined`, the shared options checked, the result and its throttle frozen. The plugin checks
 * its own fields afterwards.
 * @throws ConfigurationError naming `plugin`.
 */
export function resolveOathPluginOptions<O extends OathPluginOptions<never>>(plugin: string, defaults: O, input: Partial<O>): O {
  const fail = (message: string): never => {
    throw new ConfigurationError(`${plugin}: ${message}`);
  };
  if (input === null || typeof input !== 'object') fail('options must be an object');
  checkOptionKeys(plugin, input, Object.keys(defaults));
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const options: O = { ...defaults, ...given };
  const { issuer, image, algorithm, keyBytes, throttle } = options;
  if (issuer !== null && typeof issuer !== 'string' && typeof issuer !== 'function') fail('issuer must be a string, a function or null');
  if (image !== null && !isHttpUrl(image)) fail('image must be an absolute http(s) URL');
  if (!OATH_ALGORITHMS.includes(algorithm)) fail("algorithm must be 'sha1', 'sha256' or 'sha512'");
  if (!Number.isInteger(keyBytes) || keyBytes < MIN_OATH_KEY_BYTES || keyBytes > MAX_OATH_KEY_BYTES) {
    fail(`keyBytes must be an integer from ${MIN_OATH_KEY_BYTES} to ${MAX_OATH_KEY_BYTES}`);
  }
  if (throttle === null || typeof throttle !== 'object') fail('throttle must be an object');
  return Object.freeze({ ...options, throttle: Object.freeze({ ...throttle }) });
}

/** The columns every OATH device has besides {@link DEVICE_COLUMNS}. */
export const OATH_COLUMNS = Object.freeze({
  key: 'secret',
  digits: 'integer',
  algorithm: 'text',
  tolerance: 'integer',
} as const satisfies ColumnSpec);

/** Whose account a Key-URI names. */
export interface KeyUriAccount {
  /** The account name in the label, e.g. an email address. @default the owner's username from `createOtp`'s `users` table */
  readonly account?: string;
}

/** What the enrolment of an OATH device shows, once: the Key-URI to scan and the key to type in. */
export interface OathEnrolment {
  /** The otpauth Key-URI (it carries the key). */
  readonly otpauthUri: string;
  /** The key as base32, in groups of four for typing. */
  readonly secret: string;
}

/** The key's bytes from its hex column. */
function keyBytes(hex: string | null): Uint8Array {
  return new Uint8Array(Buffer.from(hex ?? '', 'hex'));
}

/**
 * A device sharing an OATH key with the user (TOTP, HOTP): the key (a sealed `secret` column,
 * never a property), digits, algorithm and tolerance, and its otpauth Key-URI. The plugin's
 * options must extend {@link OathPluginOptions}.
 */
export abstract class OathDevice<O extends OathPluginOptions<any> = OathPluginOptions<any>> extends Device<O> {
  static override readonly columns: ColumnSpec = OATH_COLUMNS;

  /** Digits per token. */
  declare digits: OathDigits;
  declare algorithm: OathAlgorithm;
  /** How far from the expected time step or counter tokens are accepted. */
  declare tolerance: number;

  /** How many codes one guess is tested against (the tolerance window). */
  protected abstract codesPerGuess(): number;

  /** One guess wins with chance (codes tested) / 10^digits. */
  override guessChance(): number {
    return this.codesPerGuess() / 10 ** this.digits;
  }

  /**
   * Opens the key as unpadded base32, for the one-time display at enrolment (group it with
   * `groupForDisplay`). Never log or store what it returns.
   * @throws SecretError when the configured keys cannot open it.
   */
  revealKey(): string {
    return encodeBase32(keyBytes(this.revealSecret('key')));
  }

  /** The key's bytes, opened for one check from its context (inside core's locked transaction). */
  protected keyForCheck(context: VerifyContext): Uint8Array {
    return keyBytes(context.secret('key'));
  }

  /** The type-specific part of the Key-URI: the period of TOTP, the counter of HOTP. */
  protected abstract keyUriType(): { readonly type: 'totp'; readonly period: number } | { readonly type: 'hotp'; readonly counter: number };

  /**
   * The otpauth Key-URI to load this device into an authenticator app.
   * It carries the key: show it once, at enrolment.
   * @throws ValidationError when no account is given and the owner is not in the users table;
   * StorageError when that table cannot be read; SecretError when the key cannot be opened.
   */
  async keyUri(options: KeyUriAccount = {}): Promise<string> {
    const { issuer, image } = this.options;
    return keyUri({
      ...this.keyUriType(),
      key: keyBytes(this.revealSecret('key')),
      account: options.account ?? (await ownerUsername(this.runtime.users, this.userId)),
      issuer: typeof issuer === 'function' ? issuer(this) : issuer,
      algorithm: this.algorithm,
      digits: this.digits,
      image,
    });
  }

  /**
   * Shows the Key-URI and the key once; the device is confirmed by its first token. An `account`
   * string in the enrolment input names the account in the label.
   */
  override async enroll(context: EnrolContext): Promise<EnrolmentResult<OathEnrolment>> {
    const { account } = context.input;
    const otpauthUri = await this.keyUri(typeof account === 'string' ? { account } : {});
    return { display: { otpauthUri, secret: groupForDisplay(this.revealKey()) } };
  }
}
