import { describe, expect, it } from 'vitest';
import { formatPersistentId, parsePersistentId } from './persistent-id.js';

describe('persistent ids', () => {
  it('round-trips "<type>/<pk>"', () => {
    expect(parsePersistentId(formatPersistentId('totp', 42))).toEqual({ type: 'totp', id: 42 });
    expect(parsePersistentId('my_plugin-2/9007199254740991')).toEqual({ type: 'my_plugin-2', id: 9007199254740991 });
  });

  it('returns null for malformed ids', () => {
    for (const id of ['', 'totp/', '/1', 'x/', 'totp/abc', 'totp/0', 'totp/01', 'totp/-1', 'totp/1.0', 'TOTP/1', 'totp/1/2',
      ' totp/1', 'totp/9007199254740993', 'a'.repeat(10_000), `totp/${'9'.repeat(40)}`, null, 7, {}]) {
      expect(parsePersistentId(id)).toBeNull();
    }
  });
});
