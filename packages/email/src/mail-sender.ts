import { ConfigurationError, isPrintableText } from '@otpkit/core';
import { normalizeEmailAddress } from './email-address.js';

/** A validated sender, as nodemailer takes it (nodemailer quotes and encodes the name itself). */
export interface MailSender {
  /** The display name, or `''`. */
  readonly name: string;
  /** One addr-spec (see {@link normalizeEmailAddress}). */
  readonly address: string;
}

const NAME_AND_ADDRESS = /^(.*?)\s*<([^<>]*)>$/s;
const QUOTED = /^"((?:[^"\\]|\\.)*)"$/s;

function displayName(raw: string): string | null {
  const quoted = QUOTED.exec(raw);
  const name = quoted === null ? raw : quoted[1]!.replace(/\\(.)/gs, '$1');
  if (quoted === null && name.includes('"')) return null;
  return name.length <= 100 && !/[<>]/.test(name) && isPrintableText(name) ? name : null;
}

/**
 * Reads the `from` option: `security@acme.example`, or `Acme <security@acme.example>` with a
 * display name (optionally in double quotes, `\"` escaped) of printable text, no CR/LF, no angle
 * brackets.
 * @throws ConfigurationError naming the accepted forms.
 */
export function resolveMailSender(from: unknown): MailSender {
  const text = typeof from === 'string' ? from.trim() : '';
  const parts = NAME_AND_ADDRESS.exec(text);
  const name = parts === null ? '' : displayName(parts[1]!.trim());
  const address = normalizeEmailAddress(parts === null ? text : parts[2]!.trim());
  if (name === null || address === null) {
    throw new ConfigurationError(
      `email: from must be one email address ('security@acme.example') or a display name and one address ('Acme <security@acme.example>'); got ${JSON.stringify(from)}`,
    );
  }
  return Object.freeze({ name, address });
}
