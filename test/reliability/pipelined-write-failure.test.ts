/**
 * A write otpkit queues to go out with the COMMIT fails on the server (here a CHECK constraint the
 * operator added refuses the charged budget; a deadlock, a serialization failure or a statement
 * timeout fail the same way), or plugin code throws between the two round trips. The caller gets
 * an error, never an outcome whose writes were rolled back; nothing is half-written; and the pooled
 * connection goes back idle, outside any transaction, with node-postgres' pipeline switch off, so
 * the application's next query on it runs as it would have.
 */
import { createOtp, SecretError, StorageError, type Otp } from '@otpkit/core';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { totp, type TOTPDevice } from '@otpkit/totp';
import type { Knex } from 'knex';
import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);
const KEY = Buffer.alloc(32, 9).toString('base64');

/** How a pooled connection tells whether it is idle outside a transaction and not pipelining. */
interface PooledConnection {
  pipeline?: boolean;
  getTransactionStatus?(): string | null;
}

for (const backend of testBackends().filter((candidate) => candidate.name !== 'sqlite')) {
  describe(`a queued write refused at COMMIT, or a throw between round trips, on ${backend.name}`, () => {
    let database: TestDatabase;
    let otp: Otp;
    /** The operator's own connection: adds and drops the constraint. */
    let operator: Knex;

    beforeAll(async () => {
      // One connection in the pool: the verification's connection is the one the next query gets.
      database = await backend.createDatabase({ poolSize: 1 });
      otp = createOtp({
        knex: database.knex,
        devices: [totp({ throttle: { factor: 0 } })],
        guessThrottle: { factor: 0 },
        secretKeys: { 1: KEY },
        clock: () => NOW,
        logger: { warn() {} },
      });
      await otp.migrate();
      operator = knexFactory({ ...database.config, pool: { min: 0, max: 1 } });
    });
    afterAll(async () => {
      await operator?.destroy();
      await database?.destroy();
    });

    /** The pool's one connection, borrowed and given back: its state after the failure. */
    async function pooledConnectionState(): Promise<{ pipeline: boolean; transaction: string | null }> {
      const pool = database.knex.client as { acquireConnection(): Promise<PooledConnection>; releaseConnection(connection: unknown): Promise<void> };
      const connection = await pool.acquireConnection();
      try {
        return { pipeline: connection.pipeline === true, transaction: connection.getTransactionStatus?.() ?? null };
      } finally {
        await pool.releaseConnection(connection);
      }
    }

    const idle = { pipeline: false, transaction: backend.name === 'postgres' ? 'I' : null };
    const budgetOf = async (userId: string) => Number((await operator('otp_user_throttle').where('user_id', userId).first())?.failure_count ?? 0);

    it('a charged miss whose budget write fails at COMMIT is a StorageError, not a refusal; device and budget unchanged; the connection is idle and usable', async () => {
      const userId = 'refused-at-commit';
      const device = (await otp.createDevice('totp', userId, { confirmed: true })) as TOTPDevice;
      await operator.raw(`ALTER TABLE otp_user_throttle ADD CONSTRAINT otpkit_test_no_failures CHECK (failure_count = 0 OR user_id <> '${userId}')`);
      try {
        const failure = await otp.verify(userId, device.persistentId, '000000').then(
          (outcome) => outcome,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(StorageError);
        expect(await budgetOf(userId)).toBe(0);
        expect((await otp.deviceFromPersistentId(device.persistentId))!.throttlingFailureCount).toBe(0);
        expect(await pooledConnectionState()).toEqual(idle);
      } finally {
        await operator.raw('ALTER TABLE otp_user_throttle DROP CONSTRAINT otpkit_test_no_failures');
      }
      // The same connection charges the next miss, and the application's own query runs on it.
      expect(await otp.verify(userId, device.persistentId, '000000')).toMatchObject({ ok: false, reason: 'invalid_token' });
      expect(await budgetOf(userId)).toBeGreaterThan(0);
      expect((await database.knex('otp_totp_device').where('id', device.id).select('user_id'))[0]).toEqual({ user_id: userId });
    });

    it('a SecretError thrown by the check after the locking reads rolls back and leaves the connection idle, not pipelining', async () => {
      const userId = 'thrown-between-round-trips';
      const device = (await otp.createDevice('totp', userId, { confirmed: true })) as TOTPDevice;
      // A sealed value moved in from another row does not open for this one.
      const other = (await otp.createDevice('totp', 'someone-else', { confirmed: true })) as TOTPDevice;
      const moved = (await operator('otp_totp_device').where('id', other.id).first()).key as string;
      await operator('otp_totp_device').where('id', device.id).update({ key: moved });

      await expect(otp.verify(userId, device.persistentId, '000000')).rejects.toBeInstanceOf(SecretError);
      expect(await pooledConnectionState()).toEqual(idle);
      expect(await budgetOf(userId)).toBe(0);
      // The lock was released: another transaction updates the row at once.
      await operator('otp_totp_device').where('id', device.id).update({ name: 'still writable' });
      expect((await database.knex('otp_totp_device').where('id', device.id).first()).name).toBe('still writable');
    });
  });
}
