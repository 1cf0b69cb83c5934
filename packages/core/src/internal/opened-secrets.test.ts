import { describe, expect, it } from 'vitest';
import type { SecretBinding } from '../secret-box.js';
import { OpenedSecrets } from './opened-secrets.js';

const row = (id: number): SecretBinding => ({ table: 'otp_totp_device', column: 'key', id, userId: 'alice' });

describe('OpenedSecrets', () => {
  it('keeps the most recently used secrets up to its capacity and drops the least recently used first', () => {
    const opened = new OpenedSecrets(2);
    opened.set('sealed-1', row(1), 'one');
    opened.set('sealed-2', row(2), 'two');
    expect(opened.get('sealed-1', row(1))).toBe('one'); // now the most recent
    opened.set('sealed-3', row(3), 'three');
    expect(opened.get('sealed-2', row(2))).toBeUndefined();
    expect(opened.get('sealed-1', row(1))).toBe('one');
    expect(opened.get('sealed-3', row(3))).toBe('three');
  });

  it('answers only for the binding a value was opened for, and forgets everything on clear', () => {
    const opened = new OpenedSecrets();
    opened.set('sealed-1', row(1), 'one');
    expect(opened.get('sealed-1', row(2))).toBeUndefined();
    expect(opened.get('sealed-1', { ...row(1), userId: 'mallory' })).toBeUndefined();
    opened.clear();
    expect(opened.get('sealed-1', row(1))).toBeUndefined();
  });
});
