import { execFileSync } from 'node:child_process';
import { FakeClock, testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticatorAppExample } from './examples/authenticator-app.js';
import { haveTools } from '../../../test/support/external-tools.js';

for (const backend of testBackends()) {
  describe.runIf(haveTools('oathtool'))(`docs/totp.md example on ${backend.name}`, () => {
    let database: TestDatabase;
    const clock = new FakeClock();
    const previousKey = process.env.OTP_KEY_1;

    beforeAll(async () => {
      database = await backend.createDatabase();
      process.env.OTP_KEY_1 = 'f'.repeat(64);
    });
    afterAll(async () => {
      process.env.OTP_KEY_1 = previousKey;
      await database?.destroy();
    });

    it('enrols an app from its Key-URI, confirms it, then signs in once with a later code', async () => {
      /** The app: oathtool with the scanned secret, at the fake clock's time; the user types 30 s apart. */
      const codeFromApp = async (keyUri: string) => {
        const code = execFileSync('/usr/bin/oathtool', ['--totp', '-b', `--now=@${clock.now() / 1000}`, new URL(keyUri).searchParams.get('secret')!], {
          encoding: 'utf8',
        }).trim();
        clock.advanceSeconds(30);
        return code;
      };
      const result = await authenticatorAppExample(database.knex, 'alice', codeFromApp, clock.now);
      expect(result.keyUri).toMatch(/^otpauth:\/\/totp\/Acme:alice%40example\.com\?secret=[A-Z2-7]{32}&issuer=Acme&/);
      expect(result.qrPng.startsWith('data:image/png;base64,')).toBe(true);
      expect(result.manualKey).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
      expect(result.enrolment.ok).toBe(true);
      expect(result.verified?.persistentId).toMatch(/^totp\/\d+$/);
      expect(result.replayed).toBeNull();
    });
  });
}
