import { ValidationError } from '@otpkit/core';
import QRCode from 'qrcode';

/** What a QR code is rendered as: a PNG data URL, an SVG document, or text for a terminal. */
export type QrFormat = 'png' | 'svg' | 'terminal';

const errorCorrectionLevel = 'M';

/**
 * Renders `text` as a QR code.
 * @throws ValidationError for an unknown format.
 */
export async function renderQr(text: string, format: QrFormat): Promise<string> {
  switch (format) {
    case 'png':
      return QRCode.toDataURL(text, { type: 'image/png', errorCorrectionLevel, margin: 4, scale: 6 });
    case 'svg':
      return QRCode.toString(text, { type: 'svg', errorCorrectionLevel, margin: 4 });
    case 'terminal':
      return QRCode.toString(text, { type: 'terminal', errorCorrectionLevel, small: true });
    default:
      throw new ValidationError("A QR code format is 'png', 'svg' or 'terminal'", { field: 'format' });
  }
}
