import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@otpkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { processCount } from './processes.js';
import { HttpSession } from './test-support/http-session.js';
import { startDemo } from './test-support/start-demo.js';

const redisUrl = process.env.OTPKIT_TEST_REDIS_URL;

describe('DEMO_PROCESSES', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-demo-processes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is one process unless set, whole numbers from 1 to 64 or max', () => {
    expect([undefined, '', '1', '4', '64'].map(processCount)).toEqual([1, 1, 1, 4, 64]);
    expect(processCount('max')).toBeGreaterThanOrEqual(1);
    for (const wrong of ['0', '65', '2.5', '-1', ' 2', 'two', '1e1']) expect(() => processCount(wrong)).toThrow(ConfigurationError);
  });

  it('refuses several processes with sessions in memory, at start-up', async () => {
    await expect(startDemo({ DEMO_PROCESSES: '2', DEMO_DB: join(dir, 'memory.sqlite') })).rejects.toThrow(/DEMO_PROCESSES=2 needs a shared session store: set REDIS_URL/);
  });

  it.runIf(redisUrl !== undefined)('outbox split across processes: refuses several processes with the development outbox, whose codes would be kept by one process and read from another', async () => {
    // A demo that starts anyway is stopped, so that the failure leaves no process behind.
    const started = startDemo({ DEMO_PROCESSES: '2', DEMO_DB: join(dir, 'outbox.sqlite'), REDIS_URL: redisUrl! }).then(async (demo) => (await demo.stop(), demo));
    await expect(started).rejects.toThrow(/DEMO_PROCESSES=2 needs SMTP_URL/);
  });

  it.runIf(redisUrl !== undefined)('serves from 2 processes on one port with sessions in Redis, and stops them all', async () => {
    // Mail goes to SMTP_URL (nothing is mailed here): the development outbox lives in one process.
    const demo = await startDemo({ DEMO_PROCESSES: '2', DEMO_DB: join(dir, 'two.sqlite'), REDIS_URL: redisUrl!, SMTP_URL: 'smtp://127.0.0.1:2525' });
    try {
      for (let request = 0; request < 4; request += 1) expect((await new HttpSession(demo.url).get('/')).status).toBe(200);
    } finally {
      await demo.stop();
    }
    expect(demo.process.exitCode).toBe(0);
  });
});
