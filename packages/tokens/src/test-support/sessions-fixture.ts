import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createOtp, type Otp } from '@otpkit/core';
import { FakeClock, type BackendBlock } from '@otpkit/core/testing';
import { staticTokens } from '@otpkit/static';
import { createTokenSessions, generateSigningKey, type JsonWebKeySet, type TokenSessions, type TokenSessionsOptions } from '@otpkit/tokens';
import { beforeAll } from 'vitest';

/** The claims every test instance writes. */
export const ISSUER = 'https://auth.example.test';
export const AUDIENCE = 'https://api.example.test';

/** An otp instance with keyed digests over the block's database, a fake clock, and token sessions built on demand. */
export interface SessionsFixture {
  readonly clock: FakeClock;
  readonly otp: Otp;
  /** Token sessions over `otp` with an EdDSA key unless `options` say otherwise. */
  sessions(options?: Partial<TokenSessionsOptions>): TokenSessions;
  /** A user id no other test uses. */
  nextUser(): number;
}

/** Registers a `beforeAll` that migrates the block's database; the fixture is usable in tests. */
export function sessionsFixture(block: BackendBlock): SessionsFixture {
  const clock = new FakeClock();
  const defaultKey = generateSigningKey('EdDSA', 'current');
  let otp: Otp | undefined;
  let user = 1;
  beforeAll(async () => {
    otp = createOtp({ knex: block.database.knex, devices: [staticTokens()], clock: clock.now, secretKeys: { '1': randomBytes(32).toString('hex') }, logger: { warn: () => {} } });
    await otp.migrate();
    await createTokenSessions(otp, { issuer: ISSUER, audience: AUDIENCE, signingKeys: [defaultKey] }).migrate();
  });
  const fixture: SessionsFixture = {
    clock,
    get otp() {
      if (otp === undefined) throw new Error('the otp instance is made in beforeAll');
      return otp;
    },
    sessions: (options = {}) => createTokenSessions(fixture.otp, { issuer: ISSUER, audience: AUDIENCE, signingKeys: [defaultKey], ...options }),
    nextUser: () => user++,
  };
  return fixture;
}

const VERIFIER = fileURLToPath(new URL('./verify-with-jose.mjs', import.meta.url));

/** Verifies `jwt` against `jwks` with jose in a separate Node process: the payload, or the error's code. */
export async function verifyInAnotherProcess(jwks: JsonWebKeySet, jwt: string, at: number): Promise<{ payload?: Record<string, unknown>; error?: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, [VERIFIER, JSON.stringify({ jwks, jwt, issuer: ISSUER, audience: AUDIENCE, at })]);
  return JSON.parse(stdout) as { payload?: Record<string, unknown>; error?: string };
}
