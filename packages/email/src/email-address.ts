import { domainToASCII } from 'node:url';

/** RFC 5322 `atext`: what a dot-atom's atoms are made of. */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** An LDH label (RFC 5890 A-labels included): letters, digits, inner hyphens, 1 to 63 long. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The address when `value` is exactly one addr-spec, else `null`. Accepted: a dot-atom local part
 * of at most 64 characters (no quoted local part: they let spaces, commas, `<` and `@` into an
 * address, are rare in practice and RFC 5321 advises against them), `@`, and a domain of LDH labels
 * or an internationalised domain, returned as lower-case A-labels (`bü.example` →
 * `xn--b-eha.example`) so what is stored is what is sent; at most 254 characters in all. Refused:
 * display names, angle brackets, commas (two addresses), whitespace, comments, address literals,
 * an all-numeric top-level label.
 */
export function normalizeEmailAddress(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 254 || /[\s\p{C}]/u.test(value)) return null;
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  if (at < 1 || local.length > 64 || !DOT_ATOM.test(local)) return null;
  const domain = domainToASCII(value.slice(at + 1));
  const labels = domain.split('.');
  if (domain === '' || domain.length > 253 || !labels.every((label) => LABEL.test(label)) || /^\d+$/.test(labels.at(-1)!)) return null;
  const address = `${local}@${domain}`;
  return address.length > 254 ? null : address;
}
