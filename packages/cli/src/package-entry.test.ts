import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageEntry } from './package-entry.js';

describe('packageEntry', () => {
  const dir = '/app/node_modules/acme-otp';

  it("reads the main entry of exports under Node's import conditions, in the order the package lists them", () => {
    expect(packageEntry(dir, { exports: './dist/index.js' })).toBe(join(dir, 'dist/index.js'));
    expect(packageEntry(dir, { exports: { '.': { types: './index.d.ts', import: './esm/index.js', require: './cjs/index.cjs' } } })).toBe(join(dir, 'esm/index.js'));
    expect(packageEntry(dir, { exports: { require: './cjs/index.cjs', default: './index.js' } })).toBe(join(dir, 'index.js'));
    expect(packageEntry(dir, { exports: { '.': { node: { import: './node.mjs' }, default: './browser.js' } } })).toBe(join(dir, 'node.mjs'));
    expect(packageEntry(dir, { exports: { '.': [{ worker: './worker.js' }, './fallback.js'] } })).toBe(join(dir, 'fallback.js'));
  });

  it('falls back to main, then index.js, and is null when exports hides the main entry', () => {
    expect(packageEntry(dir, { main: 'lib/plugin.js' })).toBe(join(dir, 'lib/plugin.js'));
    expect(packageEntry(dir, {})).toBe(join(dir, 'index.js'));
    expect(packageEntry(dir, { exports: { './sub': './sub.js' } })).toBeNull();
    expect(packageEntry(dir, { exports: { '.': { require: './cjs/index.cjs' } } })).toBeNull();
  });
});
