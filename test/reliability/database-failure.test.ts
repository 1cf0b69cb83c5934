/**
 * The database fails in the middle of a verification. On PostgreSQL and MySQL/MariaDB another
 * transaction holds the row lock, the verification waits for it, and its server connection is
 * killed (`pg_terminate_backend`, `KILL`); on SQLite another process holds the write lock past the
 * busy timeout. The caller gets a `StorageError`, nothing is half-written, and the next
 * verification works.
 */
import Database from 'better-sqlite3';
import { createOtp, StorageError, type Device, type Otp, type VerifyOutcome } from '@otpkit/core';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import type { Knex } from 'knex';
import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceWithToken } from './support/device-tokens.js';
import { buildPlugins } from './support/plugins.mjs';

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);

/**
 * The lock holder's session id, the session running a statement on a table while the holder
 * blocks it, and how to kill a session, per server. (MariaDB's InnoDB lock tables are a cache that
 * can lag; its process list is current.)
 */
const servers = {
  postgres: {
    self: 'SELECT pg_backend_pid() AS id',
    blocked: 'SELECT pid AS id FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid)) AND query LIKE ?',
    kill: 'SELECT pg_terminate_backend(?)',
  },
  mysql: {
    self: 'SELECT CONNECTION_ID() AS id',
    blocked: `SELECT id FROM information_schema.processlist
              WHERE db = DATABASE() AND id NOT IN (?, CONNECTION_ID()) AND info LIKE ?`,
    kill: 'KILL ?',
  },
} as const;

function rowsOf(result: unknown): { id: number | string }[] {
  return (Array.isArray(result) ? result[0] : (result as { rows: { id: number }[] }).rows) as { id: number | string }[];
}

const quiet = { warn: () => {} };

for (const backend of testBackends().filter((candidate) => candidate.name === 'sqlite')) {
  describe('the database locked by another process past the busy timeout on sqlite', () => {
    let database: TestDatabase;
    let otp: Otp;

    beforeAll(async () => {
      database = await backend.createDatabase();
      otp = createOtp({ knex: database.knex, devices: buildPlugins({ throttleFactor: 1 }), clock: () => NOW, logger: quiet });
      await otp.migrate();
    });
    afterAll(async () => {
      await database?.destroy();
    });

    it('verifyToken: a StorageError, the device unchanged, and the next verification works', async () => {
      const { device, token } = await deviceWithToken(otp, 'totp', 'locked-out');
      const before = (await otp.deviceFromPersistentId(device.persistentId))!.toJSON();
      const other = new Database((database.config.connection as { filename: string }).filename);
      other.exec('BEGIN IMMEDIATE');
      try {
        const failure = await otp.verify('locked-out', device.persistentId, token).then(() => null, (error: unknown) => error);
        expect(failure).toBeInstanceOf(StorageError);
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect((await otp.deviceFromPersistentId(device.persistentId))!.toJSON()).toEqual(before);
      expect((await otp.verifyToken('locked-out', device.persistentId, token))?.persistentId).toBe(device.persistentId);
    });
  });
}

for (const backend of testBackends().filter((candidate) => candidate.name !== 'sqlite')) {
  const server = servers[backend.name as keyof typeof servers];

  describe(`a connection killed during a verification on ${backend.name}`, () => {
    let database: TestDatabase;
    let otp: Otp;
    let now = NOW;
    /** A second client: holds row locks and kills sessions, as an operator or a failover would. */
    let other: Knex;

    beforeAll(async () => {
      database = await backend.createDatabase({ poolSize: 4 });
      otp = createOtp({ knex: database.knex, devices: buildPlugins({ throttleFactor: 1 }), guessThrottle: { factor: 1 }, clock: () => now, logger: quiet });
      await otp.migrate();
      other = knexFactory({ ...database.config, pool: { min: 0, max: 2 } });
    });
    afterAll(async () => {
      await other?.destroy();
      await database?.destroy();
    });

    /**
     * Runs `attempt` while `table`'s row `id` (or the row matching `where`) is locked by another
     * transaction, kills the attempt's connection once it waits for the lock, then lets the lock go.
     */
    async function killedWhileWaiting(where: Record<string, unknown>, table: string, attempt: () => Promise<VerifyOutcome>) {
      const locker = await other.transaction();
      try {
        await locker(table).where(where).forUpdate();
        const holder = rowsOf(await locker.raw(server.self))[0]!.id;
        const settled = attempt().then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        let victim: number | string | undefined;
        for (let tries = 0; victim === undefined && tries < 200; tries += 1) {
          victim = rowsOf(await other.raw(server.blocked, [holder, `%${table}%`]))[0]?.id;
          if (victim === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
        }
        expect(victim, 'the verification should be waiting for the row lock').toBeDefined();
        await other.raw(server.kill, [victim!]);
        return await settled;
      } finally {
        await locker.rollback();
      }
    }

    const reload = async (device: Device) => (await otp.deviceFromPersistentId(device.persistentId))!;

    it('verifyToken: a StorageError without the token in it, the device unchanged, and the next verification works', async () => {
      const userId = 'killed-verify';
      const { device, token } = await deviceWithToken(otp, 'totp', userId);
      const before = (await reload(device)).toJSON();

      const result = await killedWhileWaiting({ id: device.id }, 'otp_totp_device', () => otp.verify(userId, device.persistentId, token));
      expect('error' in result && result.error).toBeInstanceOf(StorageError);
      const error = (result as { error: StorageError }).error;
      expect(error.code).toBe('ERR_OTP_STORAGE');
      expect(error.message).not.toContain(token);

      expect((await reload(device)).toJSON()).toEqual(before);
      const verified = await otp.verifyToken(userId, device.persistentId, token);
      expect(verified?.persistentId).toBe(device.persistentId);
      expect(await otp.verifyToken(userId, device.persistentId, token)).toBeNull();
    });

    it("matchToken: a StorageError, the user's failure budget and the devices unchanged, and the next match works", async () => {
      const userId = 'killed-match';
      const { device, token } = await deviceWithToken(otp, 'static', userId);
      await deviceWithToken(otp, 'totp', userId); // a guessable device, so a miss is charged to the budget
      expect(await otp.match(userId, '000000')).toMatchObject({ ok: false, failureCount: 1 });
      const before = (await reload(device)).toJSON();

      const result = await killedWhileWaiting({ user_id: userId }, 'otp_user_throttle', () => otp.match(userId, token));
      expect('error' in result && result.error).toBeInstanceOf(StorageError);

      expect((await reload(device)).toJSON()).toEqual(before);
      // The earlier failure is still on the budget and the killed attempt is not: the next miss is the second.
      now = NOW + 1000;
      expect(await otp.match(userId, '000000')).toMatchObject({ ok: false, reason: 'invalid_token', failureCount: 2 });
      // The backup code was not consumed.
      now = NOW + 3000;
      expect((await otp.match(userId, token)).ok).toBe(true);
    });
  });
}
