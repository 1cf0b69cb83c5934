import { expect, it } from 'vitest';
import { ConfigurationError } from '@otpkit/core';
import { totp } from '@otpkit/totp';
import { describeOnBackends } from './support/backends.js';

const devices = [totp()];

// otpkit begins and commits its own transactions on connections it borrows from knex's pool. Given
// an application's transaction as `knex`, it borrowed that transaction's connection: on PostgreSQL
// and MariaDB its BEGIN was ignored and its COMMIT committed the application's half-done work, which
// the application's rollback could no longer undo (on SQLite the first verification failed).
describeOnBackends("an application's transaction given as knex", { devices }, (fixture) => {
  it("is refused at start-up, so otpkit's COMMIT never commits the application's transaction", async () => {
    const { knex } = fixture.database;
    await knex.schema.createTable('app_orders', (table) => table.integer('n'));
    const trx = await knex.transaction();
    try {
      await trx('app_orders').insert({ n: 1 });
      expect(() => fixture.otp({ devices, knex: trx })).toThrow(ConfigurationError);
      expect(() => fixture.otp({ devices, knex: trx })).toThrow(/knex must be the knex instance, not a transaction/);
    } finally {
      await trx.rollback();
    }
    expect(await knex('app_orders').select('n')).toEqual([]);
  });
});
