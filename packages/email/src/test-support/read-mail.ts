/**
 * Reads what a person sees of a plain-text message the SMTP sink received: its subject (RFC 2047
 * encoded words decoded) and its body (quoted-printable or base64 decoded), for tests that check
 * the words of a mail, in any language.
 */
import type { ReceivedMail } from './smtp-sink.js';

/** The subject and the plain-text body of a message. */
export interface ReadableMail {
  readonly subject: string;
  readonly text: string;
}

/** `=?UTF-8?Q?...?=` and `=?UTF-8?B?...?=` words decoded; whitespace between two encoded words dropped. */
function decodeHeader(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_word, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replaceAll('_', ' ')),
    );
}

function decodeQuotedPrintable(text: string): string {
  return Buffer.from(text.replace(/=([0-9A-Fa-f]{2})/g, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
}

/** The subject and body of a single-part message. */
export function readMail(mail: ReceivedMail): ReadableMail {
  const split = mail.source.indexOf('\r\n\r\n');
  const headers = mail.source.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = mail.source.slice(split + 4).replace(/=\r\n/g, '');
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(headers)?.[1] ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const decoded = encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : body;
  return { subject: decodeHeader(header('Subject')), text: decoded.replace(/\r\n/g, '\n').trimEnd() };
}
