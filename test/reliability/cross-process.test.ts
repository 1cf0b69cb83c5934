/**
 * Verification across processes: four worker processes, each with its own connection pool (as four
 * application servers would have), race on the same device rows. Row locks must make every token
 * single use and every failure count.
 */
import { createOtp, type Device, type Otp } from '@otpkit/core';
import { testBackends, wrongTokenFor, type TestDatabase } from '@otpkit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceWithToken } from './support/device-tokens.js';
import { buildPlugins, PLUGIN_TYPES } from './support/plugins.mjs';
import { buildWorkerPackages, WorkerGroup, type CallOutcome } from './support/worker-group.js';

const WORKERS = 4;
const NOW = Date.UTC(2026, 0, 5, 12, 0, 0);
const quiet = { warn: () => {} };

let workers: WorkerGroup;

beforeAll(async () => {
  buildWorkerPackages();
  workers = await WorkerGroup.start(WORKERS);
});
afterAll(async () => {
  await workers?.stop();
});

function tally(outcomes: CallOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

for (const backend of testBackends()) {
  describe(`${WORKERS} processes on ${backend.name}`, () => {
    let database: TestDatabase;
    let otp: Otp;

    beforeAll(async () => {
      database = await backend.createDatabase({ poolSize: 4 });
      otp = createOtp({
        knex: database.knex,
        devices: buildPlugins({ throttleFactor: 0 }),
        clock: () => NOW,
        guessThrottle: { factor: 0 },
        logger: quiet,
      });
      await otp.migrate();
      await workers.open({ knex: database.config, plugins: { throttleFactor: 0 }, guessThrottleFactor: 0, poolSize: 4 });
    });
    afterAll(async () => {
      await database?.destroy();
    });

    const reload = async (device: Device) => (await otp.deviceFromPersistentId(device.persistentId))!;

    for (const type of PLUGIN_TYPES) {
      it(`accepts a ${type} token exactly once among ${WORKERS} × 25 concurrent verifications`, async () => {
        const userId = `once-${type}`;
        const { device, token } = await deviceWithToken(otp, type, userId);
        const outcomes = await workers.burst({ now: NOW, perWorker: 25, method: 'verify', args: [userId, device.persistentId, token] });
        expect(tally(outcomes)).toEqual({ ok: 1, refused: WORKERS * 25 - 1 });
        expect(await otp.verifyToken(userId, device.persistentId, token)).toBeNull();
        expect((await reload(device)).lastUsedAt).toBe(NOW);
      });
    }

    it(`counts each of ${WORKERS} × 50 concurrent wrong guesses on one device (throttle factor 0)`, async () => {
      const userId = 'guesses-device';
      const { device, token } = await deviceWithToken(otp, 'totp', userId);
      const outcomes = await workers.burst({ now: NOW, perWorker: 50, method: 'verify', args: [userId, device.persistentId, wrongTokenFor(token)] });
      expect(tally(outcomes)).toEqual({ refused: WORKERS * 50 });
      expect((await reload(device)).throttlingFailureCount).toBe(WORKERS * 50);
    });

    it(`counts each of ${WORKERS} × 50 concurrent matchToken misses against the user (match throttle factor 0)`, async () => {
      const userId = 'guesses-user';
      const { device, token } = await deviceWithToken(otp, 'totp', userId);
      const wrong = wrongTokenFor(token);
      const outcomes = await workers.burst({ now: NOW, perWorker: 50, method: 'match', args: [userId, wrong] });
      expect(tally(outcomes)).toEqual({ refused: WORKERS * 50 });
      expect(await otp.match(userId, wrong)).toMatchObject({ ok: false, reason: 'invalid_token', failureCount: WORKERS * 50 + 1 });
      expect((await reload(device)).throttlingFailureCount).toBe(0);
    });
  });
}
