import { ValidationError } from './errors.js';
import { encodeBase32, type OathAlgorithm, type OathDigits } from './oath.js';

/** What every otpauth Key-URI carries. */
interface KeyUriCommon {
  /** The shared key. Written as unpadded base32 (`secret`). */
  readonly key: Uint8Array;
  /** Who the key belongs to, e.g. the username: the second half of the label. */
  readonly account: string;
  /** The service, e.g. `Acme`: the label's prefix and the `issuer` parameter. Colons are removed. */
  readonly issuer?: string | null | undefined;
  readonly algorithm: OathAlgorithm;
  readonly digits: OathDigits;
  /** An absolute http(s) URL of a logo some apps show next to the account. */
  readonly image?: string | null | undefined;
}

/** The fields of an otpauth Key-URI: `period` for TOTP, `counter` for HOTP. */
export type KeyUriParameters =
  | (KeyUriCommon & { readonly type: 'totp'; /** The time step in seconds. */ readonly period: number })
  | (KeyUriCommon & { readonly type: 'hotp'; /** The next counter value. */ readonly counter: number });

/**
 * `encodeURIComponent` writes a space as `%20` (never `+`) and UTF-8 for everything non-ASCII.
 * @throws ValidationError for text that is not valid Unicode (a lone surrogate).
 */
function encode(text: string, field: string): string {
  try {
    return encodeURIComponent(text);
  } catch (error) {
    throw new ValidationError(`${field} is not valid Unicode text`, { field, cause: error });
  }
}

/**
 * Builds the otpauth Key-URI authenticator apps read from a QR code:
 * `otpauth://totp/Acme:alice%40example.com?secret=…&issuer=Acme&algorithm=SHA1&digits=6&period=30`.
 * The label is `issuer:account` percent-encoded (spaces as `%20`), colons are removed from the
 * issuer, and the secret is unpadded base32.
 * @throws ValidationError for an empty account (or, without an issuer, one of "." or ".."), text that is not valid Unicode, a bad image URL or a bad period or counter.
 */
export function keyUri(parameters: KeyUriParameters): string {
  const { key, account, algorithm, digits } = parameters;
  if (typeof account !== 'string' || account.trim().length === 0) {
    throw new ValidationError('A Key-URI needs an account name', { field: 'account' });
  }
  const issuer = (parameters.issuer ?? '').replaceAll(':', '').trim();
  const label = issuer === '' ? encode(account, 'account') : `${encode(issuer, 'issuer')}:${encode(account, 'account')}`;
  // A label of "." or ".." is a dot segment, which URL parsers drop (encoded or not): apps would read no account.
  if (label === '.' || label === '..') {
    throw new ValidationError('A Key-URI without an issuer needs an account name other than "." or ".."', { field: 'account' });
  }
  const query = [`secret=${encodeBase32(key)}`];
  if (issuer !== '') query.push(`issuer=${encode(issuer, 'issuer')}`);
  query.push(`algorithm=${algorithm.toUpperCase()}`, `digits=${digits}`);
  if (parameters.type === 'totp') query.push(`period=${positiveInteger(parameters.period, 'period', 1)}`);
  else query.push(`counter=${positiveInteger(parameters.counter, 'counter', 0)}`);
  if (parameters.image != null) {
    if (!isHttpUrl(parameters.image)) throw new ValidationError('image must be an absolute http(s) URL', { field: 'image' });
    query.push(`image=${encode(parameters.image, 'image')}`);
  }
  return `otpauth://${parameters.type}/${label}?${query.join('&')}`;
}

function positiveInteger(value: number, field: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) throw new ValidationError(`${field} must be an integer >= ${min}`, { field });
  return value;
}

/** Whether `value` is an absolute http(s) URL, as a Key-URI's `image` must be. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:';
}
