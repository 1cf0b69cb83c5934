import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigurationError, parseKeyUri, ValidationError, type ParsedKeyUri } from '@otpkit/core';
import type { SourceEntry } from './source-entry.js';

/**
 * The stable source id of a Key-URI's device: its user and a SHA-256 of its type and key, so the
 * same key for the same user is one device however the file is reordered or relabelled. The key
 * is at least 128 random bits, which its digest does not reveal.
 */
function sourceOf(user: string, uri: ParsedKeyUri): string {
  const digest = createHash('sha256').update(`${uri.type}\n${Buffer.from(uri.key).toString('hex')}`).digest('hex').slice(0, 32);
  return `otpauth:${user}:${digest}`;
}

/** The state `otp.importDevices` takes for a parsed Key-URI. */
function stateOf(uri: ParsedKeyUri): Record<string, unknown> {
  const common = { key: Buffer.from(uri.key).toString('hex'), algorithm: uri.algorithm, digits: uri.digits };
  return uri.type === 'totp' ? { ...common, step: uri.period } : { ...common, counter: uri.counter };
}

/** One line's entry: the user before the first comma, tab or space, the Key-URI after it. */
function entryOf(line: string, number: number): SourceEntry {
  const match = /^([^,\t ]+)[,\t ]+(\S+)$/.exec(line);
  if (match === null) {
    return { sourceUser: '', source: `line ${number}`, type: 'unknown', skip: 'invalid', message: 'a line must be "<user>,<otpauth URI>"' };
  }
  const [, user, text] = match as unknown as [string, string, string];
  let uri: ParsedKeyUri;
  try {
    uri = parseKeyUri(text);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { sourceUser: user, source: `line ${number}`, type: 'unknown', skip: 'invalid', message: `${error.field ?? 'uri'}: ${error.message}` };
  }
  const name = uri.issuer ?? undefined;
  return { sourceUser: user, device: { type: uri.type, source: sourceOf(user, uri), ...(name === undefined ? {} : { name }), confirmed: true, state: stateOf(uri) } };
}

/**
 * Reads a file of `<user>,<otpauth://…>` lines (a tab or spaces may separate them; blank lines and
 * `#` comments are ignored) as TOTP and HOTP devices, confirmed (their keys are already in
 * authenticator apps), named after the Key-URI's issuer. A malformed line is an invalid entry, not
 * a failure.
 * @throws ConfigurationError when the file cannot be read.
 */
export function readKeyUriFile(path: string): SourceEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`--file: cannot read ${path}`, { cause: error });
  }
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'))
    .map(({ line, number }) => entryOf(line, number));
}
