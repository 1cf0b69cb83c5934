/**
 * One application run as four processes on one PostgreSQL database (support/cluster-app.mjs):
 * sessions in Redis or PostgreSQL, the sign-in's limits in Redis, the guessing budget in the
 * database. Whichever process a request reaches, a token is accepted once, a limit counts every
 * attempt, and a verified session is verified everywhere. The limits' Redis is then taken away:
 * they fail closed (503), and count again once it is back.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createOtp, type Otp } from '@otpkit/core';
import { testBackends, wrongTokenFor, type TestDatabase } from '@otpkit/core/testing';
import { email } from '@otpkit/email';
import { createSignIn } from '@otpkit/signin';
import { totp } from '@otpkit/totp';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { PrivateRedis, startAppProcesses, type AppProcess } from './support/app-processes.js';
import { deviceWithToken } from './support/device-tokens.js';
import { buildWorkerPackages } from './support/worker-group.js';

const app = fileURLToPath(new URL('./support/cluster-app.mjs', import.meta.url));
const postgres = testBackends().find((backend) => backend.name === 'postgres');
const redisUrl = process.env.OTPKIT_TEST_REDIS_URL;
const secretKey = randomBytes(32).toString('hex');
const quiet = { warn: () => {} };

/** The database the processes share, migrated by otpkit and the sign-in as a deployment would be. */
function sharedDatabase(): { readonly otp: Otp; readonly url: string } {
  let database: TestDatabase | undefined;
  let otp: Otp | undefined;
  beforeAll(async () => {
    database = await postgres!.createDatabase({ poolSize: 2 });
    otp = createOtp({
      knex: database.knex,
      devices: [totp(), email({ transport: nodemailer.createTransport({ jsonTransport: true }), from: 'signin@acme.example' })],
      secretKeys: { 1: secretKey },
      logger: quiet,
    });
    await otp.migrate();
    await createSignIn(otp, { logger: quiet }).migrate();
  });
  afterAll(async () => {
    await database?.destroy();
  });
  return {
    get otp() {
      return otp!;
    },
    get url() {
      return database!.config.connection as string;
    },
  };
}

function appEnv(databaseUrl: string, env: Record<string, string>): Record<string, string> {
  return { DATABASE_URL: databaseUrl, OTP_KEY_1: secretKey, SESSION_SECRET: randomBytes(24).toString('hex'), KEY_PREFIX: `otpkit-test-${randomBytes(6).toString('hex')}:`, ...env };
}

/** A browser signed in (first factor) through `process`, with a TOTP device and a code it accepts now. */
async function signedInBrowser(otp: Otp, process: AppProcess) {
  const userId = `user-${randomBytes(6).toString('hex')}`;
  const { device, token } = await deviceWithToken(otp, 'totp', userId);
  const browser = new HttpClient(process.url);
  expect((await browser.sendJson('/login', { userId })).status).toBe(200);
  return { userId, device, token, browser };
}

const validate = (browser: HttpClient, process: AppProcess, token: string, device: string) => browser.sendJson(`${process.url}/api/2fa/validate`, { token, device });
const account = (browser: HttpClient, process: AppProcess) => browser.getJson(`${process.url}/account`);

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** Verifies a browser's session in the first process and reads the account through each of the others. */
async function verifiedInOneHonouredByOthers(otp: Otp, processes: AppProcess[]): Promise<void> {
  const [first, ...others] = processes;
  const { userId, device, token, browser } = await signedInBrowser(otp, first!);
  expect((await account(browser, others[0]!)).body).toMatchObject({ error: { code: 'verification_required' } });
  expect((await validate(browser, first!, token, device.persistentId)).body).toMatchObject({ verified: true });
  for (const other of others) expect(await account(browser, other)).toMatchObject({ status: 200, body: { userId } });
}

describe.runIf(postgres !== undefined && redisUrl !== undefined)('one application as several processes on one PostgreSQL database', () => {
  beforeAll(() => buildWorkerPackages(['core', 'totp', 'email', 'signin', 'express']));

  describe('4 processes, sessions and limits in Redis', () => {
    const database = sharedDatabase();
    let processes: AppProcess[] = [];
    beforeAll(async () => {
      processes = await startAppProcesses(app, 4, appEnv(database.url, { SESSION_STORE: 'redis', REDIS_URL: redisUrl!, LIMITS_REDIS_URL: redisUrl! }));
    });
    afterAll(async () => {
      await Promise.all(processes.map((process) => process.stop()));
    });

    it('replaying one TOTP code to 4 processes at once: exactly one is accepted', async () => {
      const { device, token } = await deviceWithToken(database.otp, 'totp', `user-${randomBytes(6).toString('hex')}`);
      const browsers = await Promise.all(
        processes.map(async (process) => {
          const browser = new HttpClient(process.url);
          await browser.sendJson('/login', { userId: device.userId });
          return browser;
        }),
      );
      const answers = await Promise.all(browsers.map((browser, index) => validate(browser, processes[index]!, token, device.persistentId)));
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      expect(answers.every((answer) => answer.status === 200 || answer.body.error.code === 'invalid_token' || answer.body.error.code === 'throttled')).toBe(true);
    });

    it('a session verified in one process is honoured by every other', async () => {
      await verifiedInOneHonouredByOthers(database.otp, processes);
    });

    it('guessing through another process after a miss is throttled, even with the right code', async () => {
      const { device, token, browser } = await signedInBrowser(database.otp, processes[0]!);
      expect((await validate(browser, processes[0]!, wrongTokenFor(token), device.persistentId)).body).toMatchObject({ error: { code: 'invalid_token' } });
      for (const process of processes.slice(1)) {
        expect(await validate(browser, process, token, device.persistentId)).toMatchObject({ status: 429, body: { error: { code: 'throttled' } } });
      }
    });

    it('send flooding one address through 4 processes at once: exactly the limit is sent', async () => {
      const address = `flood-${randomBytes(6).toString('hex')}@example.test`;
      const starts = Array.from({ length: 8 }, (_, index) => new HttpClient(processes[index % 4]!.url).sendJson('/api/2fa/signin/start', { email: address }));
      const answers = await Promise.all(starts);
      expect(tally(answers.map((answer) => answer.status))).toEqual({ 202: 3, 429: 5 });
      expect(answers.filter((answer) => answer.status === 429).every((answer) => answer.body.error.code === 'signin_rate_limited')).toBe(true);
    });
  });

  describe('2 processes, sessions in PostgreSQL, limits in a Redis that goes away', () => {
    const database = sharedDatabase();
    let redis: PrivateRedis;
    let processes: AppProcess[] = [];
    beforeAll(async () => {
      redis = await PrivateRedis.start();
      processes = await startAppProcesses(app, 2, appEnv(database.url, { SESSION_STORE: 'postgres', LIMITS_REDIS_URL: redis.url }));
    });
    afterAll(async () => {
      await Promise.all(processes.map((process) => process.stop()));
      await redis?.stop();
    });

    it('a session verified in one process is honoured by the other', async () => {
      await verifiedInOneHonouredByOthers(database.otp, processes);
    });

    it('limits fail closed while their Redis is away (503 storage_unavailable), and count again once it is back', async () => {
      const start = (process: AppProcess) => new HttpClient(process.url).sendJson('/api/2fa/signin/start', { email: `back-${randomBytes(6).toString('hex')}@example.test` });
      expect((await start(processes[0]!)).status).toBe(202);
      await redis.stop();
      for (const process of processes) {
        expect(await start(process)).toMatchObject({ status: 503, body: { error: { code: 'storage_unavailable' } } });
      }
      // What needs no limit goes on: a second factor is verified in the database.
      const { device, token, browser } = await signedInBrowser(database.otp, processes[0]!);
      expect((await validate(browser, processes[1]!, token, device.persistentId)).body).toMatchObject({ verified: true });

      await redis.restart();
      for (const process of processes) {
        let answer = await start(process);
        for (let tries = 0; answer.status === 503 && tries < 50; tries += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          answer = await start(process);
        }
        expect(answer.status).toBe(202);
      }
    });
  });
});
