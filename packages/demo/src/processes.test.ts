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

  it.runIf(redisUrl !== undefined)('serves from 2 processes on one port with sessions in Redis, and stops them all', async () => {
    const demo = await startDemo({ DEMO_PROCESSES: '2', DEMO_DB: join(dir, 'two.sqlite'), REDIS_URL: redisUrl! });
    try {
      for (let request = 0; request < 4; request += 1) expect((await new HttpSession(demo.url).get('/')).status).toBe(200);
    } finally {
      await demo.stop();
    }
    expect(demo.process.exitCode).toBe(0);
  });
});
