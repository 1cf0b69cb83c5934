import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, SecretError } from './errors.js';
import { SecretBox, type SecretBinding } from './secret-box.js';
import { sealedBy01 } from './test-support/sealed-by-01.js';

const key = () => randomBytes(32).toString('base64');
const row: SecretBinding = { table: 'otp_totp_device', column: 'key', id: 7, userId: 'alice' };

describe('SecretBox', () => {
  it('seals under the largest key id and opens with any listed key', () => {
    const k1 = key();
    const k10 = key();
    const box = new SecretBox({ '10': k10, '2': k1 });
    expect(box.newestKeyId).toBe('10');
    const sealed = box.seal('3132333435', row);
    expect(sealed).toMatch(/^otpkit\$2\$10\$/);
    expect(sealed).not.toContain('3132333435');
    expect(new SecretBox({ '10': k10 }).open(sealed, row)).toBe('3132333435');
  });

  it('binds the ciphertext to its table, column, row id and owner', () => {
    const box = new SecretBox({ '1': key() });
    const sealed = box.seal('secret', row);
    for (const moved of [{ table: 'otp_hotp_device' }, { column: 'token' }, { id: 8 }, { userId: 'mallory' }]) {
      expect(() => box.open(sealed, { ...row, ...moved })).toThrow(SecretError);
      expect(box.problem(sealed, { ...row, ...moved })).toBe('does_not_authenticate');
    }
    expect(box.problem(sealed, row)).toBeNull();
  });

  it('serves a secret it opened again only for its binding, keeps it out of the box\'s JSON, and forgets it', () => {
    const box = new SecretBox({ '1': key() });
    const sealed = box.seal('secret', row);
    expect(box.open(sealed, row)).toBe('secret');
    expect(box.open(sealed, row)).toBe('secret');
    // An opened value moved to another row, column or owner is refused as before.
    for (const moved of [{ table: 'otp_hotp_device' }, { column: 'token' }, { id: 8 }, { userId: 'mallory' }]) {
      expect(() => box.open(sealed, { ...row, ...moved })).toThrow(SecretError);
    }
    expect(JSON.stringify(box)).not.toContain('secret');
    box.forgetOpened();
    expect(box.open(sealed, row)).toBe('secret');
  });

  it('detects tampering and unknown key ids without leaking the secret', () => {
    const box = new SecretBox({ '1': key() });
    const sealed = box.seal('topsecret', row);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'BB' : 'AA');
    expect(() => box.open(tampered, row)).toThrow(SecretError);
    const other = new SecretBox({ '2': key() });
    expect(other.problem(sealed, row)).toBe('unknown_key');
    expect(() => other.open(sealed, row)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('topsecret') }));
  });

  it('passes plaintext through without keys, and refuses it once keys are configured', () => {
    const plain = new SecretBox();
    expect(plain.encrypts).toBe(false);
    expect(plain.seal('abc', row)).toBe('abc');
    expect(plain.open('abc', row)).toBe('abc');
    const keyed = new SecretBox({ '1': key() });
    expect(() => keyed.open('abc', row)).toThrow(SecretError);
    expect(keyed.problem('abc', row)).toBe('plaintext');
    expect(keyed.open(keyed.reseal('abc', row, 'otp_totp_device.key')!, row)).toBe('abc');
  });

  it('refuses values sealed by 0.1 until reseal binds them to their row', () => {
    const k1 = key();
    const box = new SecretBox({ '1': k1 });
    const legacy = sealedBy01(k1, '1', 'abcd', 'otp_totp_device.key');
    expect(box.problem(legacy, row)).toBe('legacy_binding');
    expect(() => box.open(legacy, row)).toThrow(SecretError);
    const resealed = box.reseal(legacy, row, 'otp_totp_device.key')!;
    expect(box.open(resealed, row)).toBe('abcd');
    expect(box.reseal(resealed, row, 'otp_totp_device.key')).toBeNull();
    expect(() => box.reseal(legacy, row, 'otp_hotp_device.key')).toThrow(SecretError);
  });

  it('keys and binds digests; with keys, an unkeyed digest is no candidate and reseals without the code', () => {
    const k1 = key();
    const codes: SecretBinding = { table: 'otp_static_token', column: 'token_hash', id: 3, userId: 'alice' };
    const box = new SecretBox({ '1': k1, '2': key() });
    const digest = box.digest('code', codes);
    expect(digest).toMatch(/^hmac2\$2\$/);
    expect(box.digestCandidates('code', codes)).toContain(digest);
    expect(box.digestCandidates('code', { ...codes, id: 4 })).not.toContain(digest);
    expect(box.digestCandidates('code', { ...codes, userId: 'mallory' })).not.toContain(digest);
    const unkeyed = new SecretBox().digest('code', codes);
    expect(unkeyed).toMatch(/^sha256\$/);
    expect(new SecretBox().digestCandidates('code', codes)).toEqual([unkeyed]);
    expect(box.digestCandidates('code', codes)).not.toContain(unkeyed);
    expect(box.problemOfDigest(unkeyed)).toBe('unkeyed_digest');
    expect(box.problemOfDigest(digest)).toBeNull();
    expect(box.digestCandidates('code', codes)).toContain(box.resealDigest(unkeyed, codes));
  });

  it('rejects malformed, unset and empty keys and key ids at start-up, naming the fix', () => {
    expect(() => new SecretBox({ '1': 'short' })).toThrow(ConfigurationError);
    expect(() => new SecretBox({ abc: key() })).toThrow(ConfigurationError);
    expect(() => new SecretBox({ '1': undefined })).toThrow(/secretKeys\['1'\].*environment variable.*remove the entry/);
    expect(() => new SecretBox({ '1': key(), '2': '' })).toThrow(ConfigurationError);
  });
});
