import { describe, expect, it } from 'vitest';
import { displayLines } from './display-lines.js';

describe('displayLines', () => {
  it('draws an otpauthUri as a QR code of block characters, followed by the URI', async () => {
    const uri = 'otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PXP&issuer=Acme';
    const lines = await displayLines({ otpauthUri: uri, secret: 'JBSW Y3DP EHPK 3PXP' });
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.slice(0, -2).every((line) => /[█▀▄]/.test(line) || line.trim() === '' || line.includes('\u001b['))).toBe(true);
    expect(lines.slice(-2)).toEqual([uri, 'Secret: JBSW Y3DP EHPK 3PXP']);
  });

  it('prints a list one item a line, times as ISO 8601, and other values labelled', async () => {
    expect(await displayLines({ codes: ['k7m2-px9q', 'r4ht-8mzk'], message: 'Sent to a•••@example.com', validUntil: 1_800_000_000_000, attempts: 3, remaining: { codes: 2 } })).toEqual([
      'k7m2-px9q',
      'r4ht-8mzk',
      'Message: Sent to a•••@example.com',
      'Valid until: 2027-01-15T08:00:00.000Z',
      'Attempts: 3',
      'Remaining: {"codes":2}',
    ]);
  });

  it('leaves images for web pages (SVG documents, data: URLs) and empty values out', async () => {
    expect(await displayLines({ qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n', qrPng: 'data:image/png;base64,iVBOR', note: null, hint: undefined })).toEqual([]);
  });

  it('replaces control characters, so a display cannot send escape sequences to the terminal', async () => {
    expect(await displayLines({ message: 'sent\u001b[2J to \u0007you', codes: ['a\rb'] })).toEqual(['Message: sent\uFFFD[2J to \uFFFDyou', 'a\uFFFDb']);
  });
});
