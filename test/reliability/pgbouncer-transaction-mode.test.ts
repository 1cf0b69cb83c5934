/**
 * Behind PgBouncer in transaction mode (what docs/scaling.md suggests when processes × pool size
 * would pass max_connections), each transaction may run on another server connection. The hot
 * path's named prepared statements are parsed once per client connection: the next transaction's
 * Bind lands on a server connection that lacks the statement, or its Parse on one that has it, and
 * verifications failed with StorageError ("prepared statement … already exists"). With
 * `preparedStatements: false` each statement is parsed where it runs.
 */
import { createOtp, decodeBase32, hotpToken, totpTimeStep, type Otp } from '@otpkit/core';
import { testBackends, type TestDatabase } from '@otpkit/core/testing';
import { totp, type TOTPDevice } from '@otpkit/totp';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../support/external-tools.js';
import { PrivatePgBouncer } from '../support/private-pgbouncer.js';

const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);
const USERS = 8;

for (const backend of testBackends().filter((candidate) => candidate.name === 'postgres')) {
  describe.runIf(haveTools('pgbouncer'))('verifications behind PgBouncer in transaction mode', () => {
    let database: TestDatabase;
    let bouncer: PrivatePgBouncer;
    let throughBouncer: Knex;
    let otp: Otp;
    const phones: TOTPDevice[] = [];

    beforeAll(async () => {
      database = await backend.createDatabase({ poolSize: 2 });
      const direct = createOtp({ knex: database.knex, devices: [totp()], clock: () => NOW, logger: { warn() {} } });
      await direct.migrate();
      for (let index = 0; index < USERS; index += 1) phones.push((await direct.createDevice('totp', `pooled-${index}`, { confirmed: true })) as TOTPDevice);
      const server = new URL(database.config.connection as string);
      // Fewer server connections than client ones: transactions move between server connections.
      bouncer = await PrivatePgBouncer.start({ host: server.hostname, port: Number(server.port || 5432) }, 2);
      const pooled = new URL(server);
      pooled.hostname = '127.0.0.1';
      pooled.port = String(bouncer.port);
      throughBouncer = knexFactory({ client: 'pg', connection: pooled.toString(), pool: { min: 0, max: USERS } });
      otp = createOtp({
        knex: throughBouncer,
        preparedStatements: false,
        devices: [totp({ throttle: { factor: 0 } })],
        guessThrottle: { factor: 0 },
        clock: () => NOW,
        logger: { warn() {} },
      });
    });
    afterAll(async () => {
      await throughBouncer?.destroy();
      await bouncer?.stop();
      await database?.destroy();
    });

    it('with preparedStatements: false, concurrent verifications moving between server connections never fail on a prepared statement', async () => {
      const failures: unknown[] = [];
      for (let round = 0; round < 5; round += 1) {
        const outcomes = await Promise.allSettled(phones.map((phone) => otp.verify(phone.userId, phone.persistentId, '000000')));
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') failures.push(outcome.reason);
          else expect(outcome.value).toMatchObject({ ok: false, reason: 'invalid_token' });
        }
      }
      expect(failures).toEqual([]);
      const phone = phones[0]!;
      const token = hotpToken(decodeBase32(phone.revealKey()), totpTimeStep(NOW, phone.step, phone.t0), phone);
      const accepted = await Promise.all([0, 1, 2, 3].map(() => otp.verify(phone.userId, phone.persistentId, token)));
      expect(accepted.filter((outcome) => outcome.ok)).toHaveLength(1);
    });
  });
}
