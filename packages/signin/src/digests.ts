import { constantTimeEqual, type SecretBinding, type SecretBox } from '@otpkit/core';
import { identityOf, type Recipient } from './address.js';
import { LINK_TABLE, PENDING_TABLE } from './tables.js';

/** What a digest is bound to; `subject` takes the place of the owner (an address, or nothing). */
function binding(table: string, column: string, subject = ''): SecretBinding {
  return { table, column, id: 0, userId: subject };
}

/** The subject of an address's digests: its method and normal form. */
function subjectOf(recipient: Recipient): string {
  return `${recipient.method}:${identityOf(recipient)}`;
}

/**
 * The keyed digests (HMAC under `secretKeys`, else plain SHA-256) the sign-in stores and counts
 * by instead of the values: addresses, registration codes, link tokens and browsers. Lookups take
 * every candidate (one per configured key), so rotating keys keeps pending codes and links working.
 */
export class SignInDigests {
  readonly #secretBox: SecretBox;

  constructor(secretBox: SecretBox) {
    this.#secretBox = secretBox;
  }

  /** The digest an address is stored and counted under. */
  address(recipient: Recipient): string {
    return this.#secretBox.digest(subjectOf(recipient), binding(PENDING_TABLE, 'address_digest'));
  }

  /** Every digest the address may be stored under. */
  addressCandidates(recipient: Recipient): string[] {
    return this.#secretBox.digestCandidates(subjectOf(recipient), binding(PENDING_TABLE, 'address_digest'));
  }

  /** The digest of a registration code sent to `recipient`. */
  code(recipient: Recipient, code: string): string {
    return this.#secretBox.digest(code, binding(PENDING_TABLE, 'code_digest', subjectOf(recipient)));
  }

  /** Whether `stored` is a digest of `code` sent to `recipient`, every candidate compared in constant time. */
  codeMatches(recipient: Recipient, code: string, stored: string): boolean {
    return matchesAny(this.#secretBox.digestCandidates(code, binding(PENDING_TABLE, 'code_digest', subjectOf(recipient))), stored);
  }

  /** The digest a link token is stored under. */
  linkToken(token: string): string {
    return this.#secretBox.digest(token, binding(LINK_TABLE, 'token_digest'));
  }

  /** Every digest a link token may be stored under. */
  linkTokenCandidates(token: string): string[] {
    return this.#secretBox.digestCandidates(token, binding(LINK_TABLE, 'token_digest'));
  }

  /** The digest a browser's value is stored under. */
  browser(browser: string): string {
    return this.#secretBox.digest(browser, binding(LINK_TABLE, 'browser_digest'));
  }

  /** Whether `stored` is a digest of `browser`, every candidate compared in constant time. */
  browserMatches(browser: string, stored: string): boolean {
    return matchesAny(this.#secretBox.digestCandidates(browser, binding(LINK_TABLE, 'browser_digest')), stored);
  }
}

function matchesAny(candidates: readonly string[], stored: string): boolean {
  let found = false;
  for (const candidate of candidates) if (constantTimeEqual(candidate, stored)) found = true;
  return found;
}
