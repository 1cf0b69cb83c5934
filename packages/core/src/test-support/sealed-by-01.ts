import { createCipheriv, randomBytes } from 'node:crypto';

/** A value as otpkit 0.1 sealed it: AES-256-GCM with additional data `table.property` only. */
export function sealedBy01(keyBase64OrHex: string, id: string, plaintext: string, where: string): string {
  const key = /^[0-9a-fA-F]{64}$/.test(keyBase64OrHex) ? Buffer.from(keyBase64OrHex, 'hex') : Buffer.from(keyBase64OrHex, 'base64');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(where, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `otpkit$1$${id}$${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}
