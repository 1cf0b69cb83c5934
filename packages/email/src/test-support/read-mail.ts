/**
 * Reads what a person sees of a message the SMTP sink received: its subject (RFC 2047 encoded
 * words decoded) and its text and HTML bodies (quoted-printable or base64, single part or
 * multipart), for tests that check the words of a mail, in any language.
 */
import type { ReceivedMail } from './smtp-sink.js';

/** The subject and the plain-text body of a message, and its HTML body when it has one. */
export interface ReadableMail {
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

interface Part {
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

/** Splits a part into its unfolded headers (lower-case names) and its body. */
function partOf(raw: string): Part {
  const at = raw.indexOf('\r\n\r\n');
  const head = at === -1 ? raw : raw.slice(0, at);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: at === -1 ? '' : raw.slice(at + 4) };
}

/** Quoted-printable text as UTF-8, soft line breaks joined. */
function fromQuotedPrintable(quoted: string): string {
  const text = quoted.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const hex = text[i] === '=' ? /^[0-9A-Fa-f]{2}/.exec(text.slice(i + 1, i + 3)) : null;
    if (hex !== null) {
      bytes.push(Number.parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A header value with its RFC 2047 encoded words decoded (whitespace between two of them dropped). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_word, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : fromQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

/** A leaf part's body, decoded by its transfer encoding. */
function decodeBody({ headers, body }: Part): string {
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return fromQuotedPrintable(body);
  return body;
}

/** The leaf parts of a part, depth first. */
function leavesOf(part: Part): Part[] {
  const type = part.headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!/^multipart\//i.test(type) || boundary === undefined) return [part];
  return part.body
    .split(`--${boundary}`)
    .slice(1, -1)
    .flatMap((piece) => leavesOf(partOf(piece.replace(/^\r\n/, ''))));
}

/** The subject, the plain-text body and (when there is one) the HTML body of a received message. */
export function readMail(mail: ReceivedMail): ReadableMail {
  const message = partOf(mail.source);
  const leaves = leavesOf(message);
  const body = (type: string) => {
    const leaf = leaves.find((part) => (part.headers.get('content-type') ?? 'text/plain').toLowerCase().startsWith(type));
    return leaf === undefined ? null : decodeBody(leaf).replace(/\r\n/g, '\n').trimEnd();
  };
  const html = body('text/html');
  return { subject: decodeWords(message.headers.get('subject') ?? ''), text: body('text/plain') ?? '', ...(html === null ? {} : { html }) };
}
