import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';

describe('demo passwords', () => {
  it('hashes with scrypt and a fresh salt, and verifies only the same password', async () => {
    const first = await hashPassword('correct horse');
    const second = await hashPassword('correct horse');
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(second).not.toBe(first);
    expect(await verifyPassword('correct horse', first)).toBe(true);
    expect(await verifyPassword('correct horsE', first)).toBe(false);
  });

  it('refuses a stored value that is not a scrypt hash', async () => {
    expect(await verifyPassword('x', 'plain')).toBe(false);
  });
});
