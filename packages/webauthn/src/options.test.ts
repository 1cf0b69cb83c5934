import { ConfigurationError } from '@otpkit/core';
import { describe, expect, it } from 'vitest';
import { resolveWebAuthnOptions, type WebAuthnOptions } from './options.js';
import { webauthn } from './webauthn.js';
import { RELYING_PARTY } from './test-support/webauthn-fixture.js';

/** Expects `webauthn(options)` to fail at start-up with a ConfigurationError whose message matches `fix`. */
function expectRefused(options: unknown, fix: RegExp): void {
  let thrown: unknown;
  try {
    webauthn(options as WebAuthnOptions);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, JSON.stringify(options)).toBeInstanceOf(ConfigurationError);
  expect((thrown as Error).message, JSON.stringify(options)).toMatch(fix);
}

describe('webauthn options', () => {
  it('fills in the defaults and makes origins a list', () => {
    expect(resolveWebAuthnOptions(RELYING_PARTY)).toEqual({
      rpName: 'Acme',
      rpID: 'acme.example',
      origins: ['https://acme.example'],
      userVerification: 'preferred',
      residentKey: 'preferred',
      attestation: 'none',
      algorithms: [-7, -257],
      challengeSeconds: 300,
      aaguidNames: {},
    });
  });

  it('accepts several origins on the rpID and hosts under it, and http only for localhost', () => {
    const origins = ['https://acme.example', 'https://login.acme.example', 'https://acme.example:8443'];
    expect(resolveWebAuthnOptions({ ...RELYING_PARTY, origins }).origins).toEqual(origins);
    expect(resolveWebAuthnOptions({ rpName: 'Dev', rpID: 'localhost', origins: 'http://localhost:3000' }).origins).toEqual(['http://localhost:3000']);
  });

  it('bad rpID: a ConfigurationError naming the fix', () => {
    for (const rpID of ['https://acme.example', 'acme.example:443', 'acme.example/login', '', ' acme.example', '-acme.example', 42, undefined]) {
      expectRefused({ ...RELYING_PARTY, rpID }, /rpID is required: the site's domain, without scheme or port \("acme\.example"\)/);
    }
    expectRefused({ ...RELYING_PARTY, rpID: 'ACME.example' }, /rpID must be lower case: "acme\.example"/);
  });

  it('bad origins: a ConfigurationError naming the fix', () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /origins is required: the public origin\(s\) of the pages, such as https:\/\/acme\.example/],
      [[], /origins is required/],
      [[42], /origins must be strings such as https:\/\/acme\.example/],
      ['acme.example', /is not a URL: write it as https:\/\/acme\.example/],
      ['https://acme.example/', /must be just scheme, host and port: https:\/\/acme\.example/],
      ['https://acme.example/login', /must be just scheme, host and port: https:\/\/acme\.example/],
      ['http://acme.example', /must be https \(http only for localhost\)/],
      ['https://evil.example', /is not acme\.example or a host under it: rpID must be its domain/],
      ['https://notacme.example', /is not acme\.example or a host under it/],
      [['https://acme.example', 'https://acme.example.evil.example'], /https:\/\/acme\.example\.evil\.example is not acme\.example or a host under it/],
    ];
    for (const [origins, fix] of cases) expectRefused({ ...RELYING_PARTY, origins }, fix);
  });

  it('unknown key: a ConfigurationError suggesting the nearest key', () => {
    const cases: [string, string][] = [
      ['rpId', 'rpID'],
      ['origin', 'origins'],
      ['challengeSecond', 'challengeSeconds'],
      ['userVerifcation', 'userVerification'],
      ['residentkey', 'residentKey'],
    ];
    for (const [key, nearest] of cases) {
      expectRefused({ ...RELYING_PARTY, [key]: 'x' }, new RegExp(`webauthn: unknown option "${key}" \\(did you mean "${nearest}"\\?\\); the options are rpName, rpID, origins`));
    }
    expectRefused({ ...RELYING_PARTY, timeout: 60 }, /webauthn: unknown option "timeout"; the options are /);
  });

  it('other bad values: a ConfigurationError naming the fix', () => {
    const cases: [Partial<Record<keyof WebAuthnOptions, unknown>>, RegExp][] = [
      [{ rpName: '  ' }, /rpName is required: the site name browsers show \("Acme"\)/],
      [{ userVerification: 'always' }, /userVerification must be 'required', 'preferred' or 'discouraged'/],
      [{ residentKey: true }, /residentKey must be 'required', 'preferred' or 'discouraged'/],
      [{ attestation: 'enterprise' }, /attestation must be 'none' or 'direct'/],
      [{ algorithms: [] }, /algorithms must list COSE algorithm ids, such as \[-7, -257\]/],
      [{ algorithms: ['ES256'] }, /algorithms must list COSE algorithm ids/],
      [{ challengeSeconds: 10 }, /challengeSeconds must be from 30 to 3600/],
      [{ challengeSeconds: 86_400 }, /challengeSeconds must be from 30 to 3600/],
      [{ challengeSeconds: Number.NaN }, /challengeSeconds must be from 30 to 3600/],
      [{ aaguidNames: { 'cb69481e-8ff7-4039-93ec-0a2729a154a8': 5 } }, /aaguidNames must map AAGUIDs to names/],
    ];
    for (const [bad, fix] of cases) expectRefused({ ...RELYING_PARTY, ...bad }, fix);
    expectRefused(undefined, /options must be an object: webauthn\(\{ rpName, rpID, origins \}\)/);
  });
});
