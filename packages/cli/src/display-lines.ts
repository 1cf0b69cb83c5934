import QRCode from 'qrcode';
import { printable, words } from './terminal-text.js';

/** `secretKey` → `Secret key`. */
function label(key: string): string {
  const text = words(key);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Whether a string is an image for a web page (an SVG or XML document, a `data:` URL), not text for a terminal. */
const isImage = (text: string) => /^\s*</.test(text) || /^data:/i.test(text);

/** A time by the codebase's naming (`validUntil`, `createdAt`: epoch ms). */
const isTime = (key: string, value: unknown): value is number =>
  typeof value === 'number' && /(At|Until)$/.test(key) && Number.isFinite(value) && Math.abs(value) <= 8.64e15;

/** A Key-URI as a QR code drawn with block characters, for scanning off the terminal. */
async function terminalQr(uri: string): Promise<string[]> {
  return (await QRCode.toString(uri, { type: 'terminal', errorCorrectionLevel: 'M', small: true })).trimEnd().split('\n');
}

/**
 * The lines an enrolment display prints as, whatever the plugin: an `otpauthUri` (the Key-URI of
 * OATH devices) as a QR code for the terminal followed by the URI; a list (backup codes) one item
 * a line; a time (a field named `…At` or `…Until`, epoch ms) in ISO 8601; other values as
 * `Label: value`. Images for web pages (an SVG document, a `data:` URL) are left to `--json`.
 */
export async function displayLines(display: Readonly<Record<string, unknown>>): Promise<string[]> {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(display)) {
    if (value === null || value === undefined) continue;
    if (key === 'otpauthUri' && typeof value === 'string') {
      lines.push(...(await terminalQr(value)), printable(value));
    } else if (Array.isArray(value)) {
      lines.push(...value.map((item) => printable(typeof item === 'string' ? item : JSON.stringify(item))));
    } else if (isTime(key, value)) {
      lines.push(`${label(key)}: ${new Date(value).toISOString()}`);
    } else if (typeof value === 'string') {
      if (!isImage(value)) lines.push(`${label(key)}: ${printable(value)}`);
    } else {
      lines.push(`${label(key)}: ${printable(typeof value === 'object' ? JSON.stringify(value) : String(value))}`);
    }
  }
  return lines;
}
