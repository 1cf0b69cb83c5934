import { createHash } from 'node:crypto';

/** A short stable name for a statement's text, used to name prepared statements. */
export function statementName(text: string): string {
  return `otpkit_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
}
