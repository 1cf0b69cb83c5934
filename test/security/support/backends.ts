import { beforeAll } from 'vitest';
import { createOtp, type AnyDevicePlugin, type OtpOptions, type TypedOtp } from '@otpkit/core';
import { describeOnEachBackend, FakeClock, type TestBackend, type TestDatabase } from '@otpkit/core/testing';

/** One migrated database per enabled backend, a fake clock, and otp instances over it. */
export interface SecurityFixture {
  readonly backend: TestBackend;
  readonly clock: FakeClock;
  readonly database: TestDatabase;
  /** A new otp instance on the fixture's database, with the fixture's clock and a silent logger, typed by its plugins. */
  otp<const P extends readonly AnyDevicePlugin[]>(options: Omit<OtpOptions, 'knex' | 'devices'> & { readonly devices: P } & Partial<Pick<OtpOptions, 'knex'>>): TypedOtp<P>;
}

/**
 * Registers `define` once per enabled backend (SQLite always; PostgreSQL and MariaDB when enabled),
 * with a database of its own migrated for `options` before the first test.
 */
export function describeOnBackends(title: string, options: Omit<OtpOptions, 'knex'>, define: (fixture: SecurityFixture) => void): void {
  describeOnEachBackend(
    title,
    (block) => {
      const clock = new FakeClock();
      const fixture: SecurityFixture = {
        backend: block.backend,
        clock,
        get database() {
          return block.database;
        },
        otp: (overrides) => createOtp({ clock: clock.now, logger: { warn: () => {} }, knex: block.database.knex, ...overrides }),
      };
      beforeAll(async () => {
        await fixture.otp(options).migrate();
      });
      define(fixture);
    },
    { poolSize: 12 },
  );
}
