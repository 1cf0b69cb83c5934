import { afterAll, beforeAll, describe } from 'vitest';
import { createOtp, type AnyDevicePlugin, type OtpOptions, type TypedOtp } from '@otpkit/core';
import { FakeClock, testBackends, type TestBackend, type TestDatabase } from '@otpkit/core/testing';

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
  for (const backend of testBackends()) {
    describe(`${title} on ${backend.name}`, () => {
      let database: TestDatabase | undefined;
      const clock = new FakeClock();
      const fixture: SecurityFixture = {
        backend,
        clock,
        get database() {
          if (database === undefined) throw new Error('the database is created in beforeAll');
          return database;
        },
        otp: (overrides) => createOtp({ clock: clock.now, logger: { warn: () => {} }, knex: fixture.database.knex, ...overrides }),
      };
      beforeAll(async () => {
        database = await backend.createDatabase({ poolSize: 12 });
        await fixture.otp(options).migrate();
      });
      afterAll(async () => {
        await database?.destroy();
      });
      define(fixture);
    });
  }
}
