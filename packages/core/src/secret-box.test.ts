import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, SecretError } from './errors.js';
import { SecretBox } from './secret-box.js';

const key = () => randomBytes(32).toString('base64');

describe('SecretBox', () => {
  it('seals under the largest key id and opens with any listed key', () => {
    const k1 = key();
    const k10 = key();
    const box = new SecretBox({ '10': k10, '2': k1 });
    expect(box.newestKeyId).toBe('10');
    const sealed = box.seal('3132333435', 't.c');
    expect(sealed).toMatch(/^otpkit\$1\$10\$/);
    expect(sealed).not.toContain('3132333435');
    expect(new SecretBox({ '10': k10 }).open(sealed, 't.c')).toBe('3132333435');
  });

  it('binds the ciphertext to its table and column', () => {
    const box = new SecretBox({ '1': key() });
    const sealed = box.seal('secret', 'otp_totp_device.key');
    expect(() => box.open(sealed, 'otp_hotp_device.key')).toThrow(SecretError);
  });

  it('detects tampering and unknown key ids without leaking the secret', () => {
    const box = new SecretBox({ '1': key() });
    const sealed = box.seal('topsecret', 'a.b');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'BB' : 'AA');
    expect(() => box.open(tampered, 'a.b')).toThrow(SecretError);
    const error = (() => {
      try {
        new SecretBox({ '2': key() }).open(sealed, 'a.b');
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(SecretError);
    expect(error!.message).not.toContain('topsecret');
  });

  it('passes plaintext through when no key is configured, and opens legacy plaintext later', () => {
    const plain = new SecretBox();
    expect(plain.encrypts).toBe(false);
    expect(plain.seal('abc', 'a.b')).toBe('abc');
    expect(new SecretBox({ '1': key() }).open('abc', 'a.b')).toBe('abc');
  });

  it('keys digests, and lists a digest per key plus the unkeyed one', () => {
    const k1 = key();
    const box = new SecretBox({ '1': k1, '2': key() });
    expect(box.digest('code')).toMatch(/^hmac\$2\$/);
    expect(box.digestCandidates('code')).toHaveLength(3);
    expect(new SecretBox({ '1': k1 }).digestCandidates('code')).toContain(new SecretBox({ '1': k1 }).digest('code'));
    expect(new SecretBox().digest('code')).toMatch(/^sha256\$/);
  });

  it('rejects malformed keys and key ids at start-up', () => {
    expect(() => new SecretBox({ '1': 'short' })).toThrow(ConfigurationError);
    expect(() => new SecretBox({ abc: key() })).toThrow(ConfigurationError);
  });
});
