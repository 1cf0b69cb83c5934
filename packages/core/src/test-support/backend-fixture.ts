import { beforeAll } from 'vitest';
import { createOtp, type OtpOptions } from '../otp.js';
import type { TypedOtp } from '../typed-otp.js';
import { describeOnEachBackend, FakeClock, type TestBackend, type TestDatabase } from '../testing/index.js';
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
  describeOnEachBackend(
    title,
    (block) => {
      const clock = new FakeClock();
      const fixture: BackendFixture = {
        backend: block.backend,
        clock,
        get database() {
          return block.database;
        },
        otp: ({ throttleFactor = 1, ...options } = {}) =>
          // A test may give other devices; the fixture's own tests use the sequence plugin.
          createOtp({
            knex: block.database.knex,
            devices: [sequence(throttleFactor)],
            clock: clock.now,
            logger: { warn: () => {} },
            guessThrottle: { factor: throttleFactor },
            ...options,
          }) as TypedOtp<readonly [SequencePlugin]>,
      };
      beforeAll(async () => {
        await fixture.otp().migrate();
      });
      define(fixture);
    },
    { poolSize: 12 },
  );
}
