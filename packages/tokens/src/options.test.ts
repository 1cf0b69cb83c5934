import { generateKeyPairSync } from 'node:crypto';
import { ConfigurationError, createOtp } from '@otpkit/core';
import { staticTokens } from '@otpkit/static';
import { createTokenSessions, generateSigningKey, type TokenSessionsOptions } from '@otpkit/tokens';
import knexFactory from 'knex';
import { afterAll, describe, expect, it } from 'vitest';

const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
const otp = createOtp({ knex, devices: [staticTokens()], logger: { warn: () => {} } });
const valid: TokenSessionsOptions = { issuer: 'https://auth.example.test', audience: 'https://api.example.test', signingKeys: [generateSigningKey('EdDSA', 'a')] };
const refused = (options: unknown) => () => createTokenSessions(otp, options as TokenSessionsOptions);

afterAll(() => knex.destroy());

describe('createTokenSessions options', () => {
  it('accepts every algorithm with the defaults', () => {
    for (const algorithm of ['EdDSA', 'ES256', 'HS256'] as const) {
      expect(createTokenSessions(otp, { ...valid, signingKeys: [generateSigningKey(algorithm, 'k')] })).toBeDefined();
    }
  });

  it.each([
    ['no options', null, /options object/],
    ['a misspelt option', { ...valid, accessTokenSecond: 60 }, /unknown option "accessTokenSecond" \(did you mean "accessTokenSeconds"\?\)/],
    ['no issuer', { ...valid, issuer: undefined }, /issuer is required/],
    ['an empty audience', { ...valid, audience: ' ' }, /audience is required/],
    ['no signing key', { ...valid, signingKeys: [] }, /at least one key.*generateSigningKey/],
    ['an unknown algorithm', { ...valid, signingKeys: [{ ...generateSigningKey('EdDSA', 'a'), algorithm: 'RS256' }] }, /algorithm must be one of EdDSA, ES256, HS256/],
    ['a public key where the private one is needed', { ...valid, signingKeys: [{ kid: 'a', algorithm: 'EdDSA', key: { ...(generateSigningKey('EdDSA', 'a').key as object), d: undefined } }] }, /private JWK/],
    ['a P-256 key for EdDSA', { ...valid, signingKeys: [{ ...generateSigningKey('ES256', 'a'), algorithm: 'EdDSA' }] }, /does not fit EdDSA/],
    ['a P-384 key for ES256', { ...valid, signingKeys: [{ kid: 'a', algorithm: 'ES256', key: generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' }) }] }, /does not fit ES256/],
    ['a short HS256 secret', { ...valid, signingKeys: [{ kid: 'a', algorithm: 'HS256', key: 'x'.repeat(31) }] }, /at least 32 bytes/],
    ['a repeated kid', { ...valid, retiredKeys: [{ ...generateSigningKey('EdDSA', 'a'), retiredAt: 0 }] }, /kid "a" is used twice/],
    ['a retired key without retiredAt', { ...valid, retiredKeys: [generateSigningKey('EdDSA', 'b')] }, /retiredAt must be/],
    ['a kid with spaces', { ...valid, signingKeys: [generateSigningKey('EdDSA', 'my key')] }, /kid must be/],
    ['a lifetime that is not whole seconds', { ...valid, idleSeconds: 1.5 }, /idleSeconds must be a positive whole number/],
    ['a reuse grace of minutes', { ...valid, reuseGraceSeconds: 300 }, /reuseGraceSeconds must be a whole number of seconds from 0 to 60/],
    ['an event that revokes nothing', { ...valid, revokeOn: ['deviceAdded'] }, /revokeOn lists events among deviceRemoved, passwordChanged/],
    ['a grace shorter than the access tokens', { ...valid, accessTokenSeconds: 900, retiredKeyGraceSeconds: 600 }, /retiredKeyGraceSeconds must be at least accessTokenSeconds/],
  ])('refuses %s at start-up, naming the fix', (_what, options, message) => {
    expect(refused(options)).toThrow(ConfigurationError);
    expect(refused(options)).toThrow(message);
  });

  it('a configuration error never shows a key', () => {
    const secret = 's'.repeat(20);
    try {
      refused({ ...valid, signingKeys: [{ kid: 'a', algorithm: 'HS256', key: secret }] })();
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain(secret);
    }
  });

  it('migrateOwner refuses the owners otp.migrate() runs', async () => {
    await expect(otp.migrateOwner('core', [])).rejects.toThrow(ConfigurationError);
    await expect(otp.migrateOwner('static', [])).rejects.toThrow(/run otp.migrate\(\)/);
  });
});
