/**
 * OATH (RFC 4226 HOTP, RFC 6238 TOTP) helpers: the one module that talks to otplib and hi-base32.
 * Everything here is synchronous, so nothing slow runs while a verification holds its row lock.
 * @module
 */
import { randomBytes } from 'node:crypto';
import base32 from 'hi-base32';
import { generateSync } from 'otplib';
import { counterToBytes, createCryptoContext, createGuardrails, dynamicTruncate, truncateDigits, validateCounter, validateSecret } from '@otplib/core';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { constantTimeEqual } from './constant-time.js';
import { ValidationError } from './errors.js';

/** The HMAC algorithms an OATH device may use. */
export type OathAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** The supported algorithms, in the order they are usually preferred by authenticator apps. */
export const OATH_ALGORITHMS: readonly OathAlgorithm[] = Object.freeze(['sha1', 'sha256', 'sha512']);

/** How many digits a token has. */
export type OathDigits = 6 | 7 | 8;

/** The parameters of a code computation. */
export interface OathParameters {
  readonly algorithm: OathAlgorithm;
  readonly digits: OathDigits;
}

const crypto = new NodeCryptoPlugin();
/** otplib's HMAC over the Node crypto plugin, made once: its per-call path builds one per code. */
const hmac = createCryptoContext(crypto);
const guardrails = createGuardrails();
const DIGITS_ONLY = /^[0-9]+$/;

/** The HOTP value of `key` at `counter` (RFC 4226). */
export function hotpToken(key: Uint8Array, counter: number, parameters: OathParameters): string {
  return generateSync({
    strategy: 'hotp',
    secret: key,
    counter,
    algorithm: parameters.algorithm,
    digits: parameters.digits,
    crypto,
  });
}

/**
 * Finds the first counter in `[from, to]` whose HOTP value equals `token`, comparing in constant
 * time. A token of the wrong length or with non-digits is a non-match.
 * @returns the matching counter, or `null`.
 */
export function findHotpCounter(
  key: Uint8Array,
  token: string,
  from: number,
  to: number,
  parameters: OathParameters,
): number | null {
  if (token.length !== parameters.digits || !DIGITS_ONLY.test(token)) return null;
  const first = Math.max(from, 0);
  if (first > to) return null;
  // otplib's checks once for the window (its per-code path repeats them for every code), then
  // its RFC 4226 primitives per counter.
  validateSecret(key, guardrails);
  validateCounter(to, guardrails);
  for (let counter = first; counter <= to; counter += 1) {
    const code = truncateDigits(dynamicTruncate(hmac.hmacSync(parameters.algorithm, key, counterToBytes(counter))), parameters.digits);
    if (constantTimeEqual(code, token)) return counter;
  }
  return null;
}

/** The RFC 6238 time step `T = floor((now − t0) / step)` for `nowMs` (epoch ms), `t0` and `step` in seconds. */
export function totpTimeStep(nowMs: number, step: number, t0: number): number {
  return Math.floor((Math.floor(nowMs / 1000) - t0) / step);
}

/** A new random key of `bytes` bytes from the operating system's CSPRNG. */
export function randomKey(bytes = 20): Uint8Array {
  return new Uint8Array(randomBytes(bytes));
}

/** Encodes a key as unpadded upper-case base32, as authenticator apps expect. */
export function encodeBase32(key: Uint8Array): string {
  return base32.encode(Array.from(key)).replace(/=+$/, '');
}

const BASE32 = /^[A-Z2-7]+=*$/;

/**
 * Decodes base32 as people type it: case-insensitive, spaces and dashes ignored, padding optional.
 * @throws ValidationError when the text is not base32.
 */
export function decodeBase32(text: string): Uint8Array {
  const cleaned = text.replace(/[\s-]+/g, '').toUpperCase();
  if (!BASE32.test(cleaned)) throw new ValidationError('secret must be base32 text (A to Z, 2 to 7)', { field: 'secret' });
  return new Uint8Array(base32.decode.asBytes(cleaned.replace(/=+$/, '')));
}

/** Groups a base32 key in blocks of four for manual entry: `ABCD EFGH …`. */
export function groupForDisplay(text: string, size = 4): string {
  return text.match(new RegExp(`.{1,${size}}`, 'g'))?.join(' ') ?? '';
}
