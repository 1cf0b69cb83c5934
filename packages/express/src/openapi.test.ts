import { describe, expect, it } from 'vitest';
import { httpErrors } from './index.js';
import { OpenApiChecker } from './test-support/openapi-checker.js';

describe('docs/openapi.yaml', () => {
  const checker = new OpenApiChecker();

  it('is an OpenAPI 3.1 document whose references all resolve', () => {
    expect(checker.spec.openapi).toBe('3.1.0');
    const refs = [...JSON.stringify(checker.spec).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      expect(ref.split('/').reduce((node: any, key) => node?.[key], checker.spec), ref).toBeDefined();
    }
  });

  it('lists exactly the error codes the router can send', () => {
    expect(checker.spec.components.schemas.Error.properties.error.properties.code.enum.sort()).toEqual(Object.keys(httpErrors).sort());
  });

  it('rejects answers that do not match: a wrong body, an undocumented status, a missing Retry-After', () => {
    const headers = new Headers();
    expect(() => checker.check('GET', '/devices', 200, headers, { devices: [{ id: 'totp/1' }] })).toThrow(/does not match/);
    expect(() => checker.check('GET', '/devices', 418, headers, {})).toThrow(/does not document/);
    expect(() => checker.check('POST', '/validate', 429, headers, { error: { code: 'throttled', message: 'm' } })).toThrow(/Retry-After/);
    expect(() => checker.check('PUT', '/devices', 200, headers, {})).toThrow(/not in docs/);
    expect(() => checker.check('GET', '/devices', 401, headers, { error: { code: 'unauthenticated', message: 'Log in first' } })).not.toThrow();
  });
});
