import { hotpToken } from '@otpkit/core';
import { RFC4226_VECTORS, testBackends, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hardwareTokenExample } from './examples/hardware-token.js';

for (const backend of testBackends()) {
  describe(`docs/hotp.md example on ${backend.name}`, () => {
    let database: TestDatabase;
    const previousKey = process.env.OTP_KEY_1;

    beforeAll(async () => {
      database = await backend.createDatabase();
      process.env.OTP_KEY_1 = '0'.repeat(63) + '1';
    });
    afterAll(async () => {
      process.env.OTP_KEY_1 = previousKey;
      await database?.destroy();
    });

    it('registers a token from its seed, absorbs skipped presses, and writes the current counter into the Key-URI', async () => {
      let presses = 0;
      const pressButton = () => hotpToken(RFC4226_VECTORS.key, presses++, { algorithm: 'sha1', digits: 6 });
      const seedHex = Buffer.from(RFC4226_VECTORS.key).toString('hex');
      const result = await hardwareTokenExample(database.knex, 'alice', seedHex, pressButton);
      expect(result.verified?.persistentId).toMatch(/^hotp\/\d+$/);
      expect(result.next?.persistentId).toBe(result.verified?.persistentId);
      expect(result.counter).toBe(4);
      expect(result.keyUri).toBe(
        'otpauth://hotp/Acme:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme&algorithm=SHA1&digits=6&counter=4',
      );
    });
  });
}
