import { ValidationError } from './errors.js';
import { decodeBase32, OATH_ALGORITHMS, type OathAlgorithm } from './oath.js';

/** What an otpauth Key-URI says ({@link parseKeyUri}): `period` for TOTP, `counter` for HOTP. */
export interface ParsedKeyUri {
  readonly type: 'totp' | 'hotp';
  /** The shared key, from the `secret` parameter (base32). */
  readonly key: Uint8Array;
  /** The account in the label (after the issuer's colon), decoded. */
  readonly account: string;
  /** The `issuer` parameter, else the label's prefix, else `null`. */
  readonly issuer: string | null;
  /** @default 'sha1' */
  readonly algorithm: OathAlgorithm;
  /** Digits per token, as written (the plugin checks which it supports). @default 6 */
  readonly digits: number;
  /** TOTP's time step in seconds. @default 30 */
  readonly period?: number;
  /** HOTP's next counter value (required for HOTP). */
  readonly counter?: number;
}

function invalid(message: string, field: string): never {
  throw new ValidationError(message, { field });
}

/** A parameter that must be a whole number when present. */
function integerParameter(query: URLSearchParams, name: string, fallback: number | undefined): number | undefined {
  const text = query.get(name);
  if (text === null) return fallback;
  if (!/^[0-9]{1,15}$/.test(text)) invalid(`${name} must be a whole number`, name);
  return Number(text);
}

/** Decodes percent-encoded text, refusing malformed escapes. */
function decoded(text: string, field: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return invalid(`the ${field} is not valid percent-encoded text`, field);
  }
}

/**
 * Reads an otpauth Key-URI (`otpauth://totp/Acme:alice?secret=…&period=30`), as authenticator
 * apps export them and {@link keyUri} writes them: the type, the key, the label's account and
 * issuer, and the token parameters with the Key-URI format's defaults (SHA1, 6 digits, 30 s).
 * @throws ValidationError naming the part that is missing or malformed (`uri`, `type`, `secret`, …).
 */
export function parseKeyUri(uri: unknown): ParsedKeyUri {
  if (typeof uri !== 'string' || uri.length > 4096 || !URL.canParse(uri.trim())) invalid('not an otpauth:// URI', 'uri');
  const url = new URL((uri as string).trim());
  if (url.protocol !== 'otpauth:') invalid('not an otpauth:// URI', 'uri');
  const type = url.host.toLowerCase();
  if (type !== 'totp' && type !== 'hotp') invalid('the type must be totp or hotp', 'type');
  const query = url.searchParams;
  const secret = query.get('secret');
  if (secret === null || secret === '') invalid('the secret parameter is missing', 'secret');
  const key = decodeBase32(secret as string);
  const label = decoded(url.pathname.replace(/^\//, ''), 'label');
  const colon = label.indexOf(':');
  const account = (colon === -1 ? label : label.slice(colon + 1)).trim();
  const issuer = query.get('issuer') ?? (colon === -1 ? null : label.slice(0, colon).trim());
  const algorithm = (query.get('algorithm') ?? 'SHA1').toLowerCase();
  if (!OATH_ALGORITHMS.includes(algorithm as OathAlgorithm)) invalid('algorithm must be SHA1, SHA256 or SHA512', 'algorithm');
  const digits = integerParameter(query, 'digits', 6)!;
  const common = { key, account, issuer: issuer === '' ? null : issuer, algorithm: algorithm as OathAlgorithm, digits };
  if (type === 'totp') return { ...common, type, period: integerParameter(query, 'period', 30)! };
  const counter = integerParameter(query, 'counter', undefined);
  if (counter === undefined) invalid('an hotp URI needs its counter parameter', 'counter');
  return { ...common, type, counter };
}
