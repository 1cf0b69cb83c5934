/**
 * `matchToken` for users with a TOTP, an HOTP, an email and a static device (in that plugin
 * order): statements per call, and latency against `verifyToken` and the ceiling.
 * @module
 */
import { email } from '@otpkit/email';
import { hotp } from '@otpkit/hotp';
import { staticTokens } from '@otpkit/static';
import { ceilingTransaction } from '../lib/ceiling.mjs';
import { createPostgresDatabase } from '../lib/databases.mjs';
import { runPaired } from '../lib/load.mjs';
import { readsByTable, recordStatements } from '../lib/query-counter.mjs';
import { cloneDevice } from '../lib/seed.mjs';
import { VerifyBench } from '../lib/verify-bench.mjs';

const USERS = 10_000;
const POOL_SIZE = 8;
const off = { factor: 0 };

/** A token that differs from `token` in its last digit. */
const wrong = (token) => token.slice(0, -1) + String((Number(token.at(-1)) + 1) % 10);

/** Gives every bench user an HOTP, an email and a static device with ten backup codes. */
async function addOtherDevices(bench) {
  const { otp, seeding } = bench;
  const knex = otp.knex;
  const templates = [
    await seeding.createDevice('hotp', 'bench-0', { confirmed: true }),
    await seeding.createDevice('email', 'bench-0', { confirmed: true, email: 'bench@example.test' }),
  ];
  const enrolled = await seeding.enroll('static', 'bench-0', { count: 10 });
  const { device: backup } = enrolled;
  const { codes } = enrolled.display;
  for (const template of [...templates, backup]) {
    await cloneDevice(knex, { table: template.constructor.tableName, templateId: template.id, from: 1, to: USERS });
  }
  await knex.raw(
    'INSERT INTO otp_static_token (device_id, token_hash) SELECT d.id, t.token_hash FROM otp_static_device AS d, otp_static_token AS t WHERE t.device_id = ? AND d.id <> ?',
    [backup.id, backup.id],
  );
  await otp.rotateSecrets(); // binds every copied key and digest to its own row
  await knex.raw('VACUUM ANALYZE otp_static_token');
  return codes;
}

/**
 * @param {import('../lib/report.mjs').Report} report
 * @param {{ serverUrl: string, kind: import('../lib/kinds.mjs').BenchKind, timing: { rounds: number, roundMs: number } }} options
 */
export async function matchPostgres(report, { serverUrl, kind, timing }) {
  const database = await createPostgresDatabase(serverUrl, { poolSize: POOL_SIZE });
  const bench = await VerifyBench.create({
    database,
    kind,
    devices: USERS,
    otherPlugins: [
      hotp({ throttle: off }),
      email({ transport: { jsonTransport: true }, from: 'otpkit <otp@example.test>', throttle: off }),
      staticTokens({ throttle: off }),
    ],
    ceiling: (knex, table) => ceilingTransaction(knex, { url: database.url, table, poolSize: POOL_SIZE }),
  });
  try {
    const codes = await addOtherDevices(bench);
    const { otp, pool } = bench;
    const user = pool.devices[0].userId;
    const calls = [
      ['matchToken, TOTP token (first table)', () => otp.match(user, bench.token(pool.clock()))],
      ['matchToken, backup code (last table)', () => otp.match(user, codes[0])],
      ['matchToken, miss (every table)', () => otp.match(user, wrong(bench.token(pool.clock())))],
      ['verifyToken, TOTP', () => otp.verify(user, pool.devices[0].persistentId, bench.token(pool.clock() + 30_000))],
    ];
    for (const [name, call] of calls) {
      const { result, statements, roundTrips } = await recordStatements(call);
      const reads = readsByTable(statements);
      report.add({
        name: `${name}: round trips`,
        measure: 'per call',
        value: roundTrips,
        ratio: roundTrips / 2,
        against: 'two round trips (locks, then writes and COMMIT)',
        target: { max: name.startsWith('matchToken') ? 1.5 : 1 },
        detail: { ok: result.ok, statements, reads },
      });
      report.add({
        name: `${name}: statements`,
        measure: 'per call',
        value: statements.length,
        ratio: Math.max(...Object.values(reads)),
        against: 'most reads of one device table',
        target: { max: 1 },
        detail: { reads },
      });
    }

    const matchHit = () =>
      pool.operations(1, async (device) => (await otp.matchToken(device.userId, bench.token(pool.clock())))?.persistentId === device.persistentId);
    const matchMiss = () =>
      pool.operations(1, async (device) => {
        const outcome = await otp.match(device.userId, wrong(bench.token(pool.clock())));
        return !outcome.ok && outcome.reason === 'invalid_token';
      });
    for (const [name, subject] of [['matchToken hit (TOTP)', matchHit], ['matchToken miss', matchMiss]]) {
      const versusVerify = await runPaired({ concurrency: 1, ...timing, reference: () => bench.verifyOperation(1), subject });
      report.add({
        name: `${name} c1 p50, 4 devices per user`,
        measure: 'ms',
        value: versusVerify.subject.p50Ms,
        ratio: versusVerify.p50Ratio,
        against: 'verifyToken c1 p50',
        detail: versusVerify.subject,
      });
      const versusCeiling = await runPaired({ concurrency: 1, ...timing, reference: () => bench.ceilingOperation(1), subject });
      report.add({
        name: `${name} c1 p50 vs ceiling`,
        measure: 'ms',
        value: versusCeiling.subject.p50Ms,
        ratio: versusCeiling.p50Ratio,
        against: 'pg ceiling c1 p50',
        detail: versusCeiling.subject,
      });
    }
  } finally {
    await bench.destroy();
  }
}
