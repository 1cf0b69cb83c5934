import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next.js';

const BASE = 'http://app.example';

describe('safeNext', () => {
  it('keeps same-origin relative paths with their query and fragment', () => {
    expect(safeNext('/billing?tab=2#top', '/')).toBe('/billing?tab=2#top');
    expect(safeNext('/a/../b', '/')).toBe('/b');
  });

  it('refuses other origins, schemes, backslashes, control characters and non-strings', () => {
    for (const value of ['//evil.example', '/.//evil.example', '/a/..//evil.example', '/\\evil.example', '\\\\evil.example', 'https://evil.example/', 'javascript:alert(1)', 'billing', '/\t/evil.example', '', 42, ['/a'], null]) {
      expect(safeNext(value, '/home')).toBe('/home');
    }
  });

  it('never yields a URL that leaves the site, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `/${s}`), fc.webUrl(), fc.webPath()), (value) => {
        const result = safeNext(value, '/fallback');
        expect(new URL(result, BASE).origin).toBe(BASE);
        expect(result.startsWith('/')).toBe(true);
        expect(result.startsWith('//')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
