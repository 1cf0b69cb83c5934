import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings in constant time: both sides are hashed to fixed-length digests first, so
 * the time depends neither on where they differ nor on their lengths. Use it for every comparison
 * of a token or a secret.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}
