import { afterAll, beforeAll, describe } from 'vitest';
import { createOtp, type OtpOptions } from '../otp.js';
import type { TypedOtp } from '../typed-otp.js';
import { FakeClock, testBackends, type TestBackend, type TestDatabase } from '../testing/index.js';
import { sequence } from './sequence-device.js';

/** The sequence plugin's type. */
type SequencePlugin = ReturnType<typeof sequence>;

/** A database of its own per backend, a fake clock, and otp instances over the sequence plugin. */
export interface BackendFixture {
  readonly backend: TestBackend;
  readonly clock: FakeClock;
  readonly database: TestDatabase;
  /**
   * A new otp instance on the fixture's database, with the sequence plugin unless `devices` is
   * given; `throttleFactor` is both the device's and the user's guessing budget's factor.
   */
  otp(options?: Partial<OtpOptions> & { throttleFactor?: number }): TypedOtp<readonly [SequencePlugin]>;
}

/** Registers `define` once per enabled backend, with a migrated database that lives for the block. */
export function describeOnBackends(title: string, define: (fixture: BackendFixture) => void): void {
  for (const backend of testBackends()) {
    describe(`${title} on ${backend.name}`, () => {
      let database: TestDatabase | undefined;
      const clock = new FakeClock();
      const fixture: BackendFixture = {
        backend,
        clock,
        get database() {
          if (database === undefined) throw new Error('the database is created in beforeAll');
          return database;
        },
        otp: ({ throttleFactor = 1, ...options } = {}) =>
          // A test may give other devices; the fixture's own tests use the sequence plugin.
          createOtp({
            knex: fixture.database.knex,
            devices: [sequence(throttleFactor)],
            clock: clock.now,
            logger: { warn: () => {} },
            guessThrottle: { factor: throttleFactor },
            ...options,
          }) as TypedOtp<readonly [SequencePlugin]>,
      };
      beforeAll(async () => {
        database = await backend.createDatabase({ poolSize: 12 });
        await fixture.otp().migrate();
      });
      afterAll(async () => {
        await database?.destroy();
      });
      define(fixture);
    });
  }
}
