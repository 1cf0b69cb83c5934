import { randomBytes } from 'node:crypto';
import { describeOnEachBackend } from '@otpkit/core/testing';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInFixture } from './test-support/signin-fixture.js';

const redisUrl = process.env.OTPKIT_TEST_REDIS_URL;

describe.runIf(redisUrl !== undefined)('limits in Redis', () => {
  describeOnEachBackend('send limits shared by processes', (block) => {
    const fixture = signInFixture(block);
    const redis = createClient({ url: redisUrl });
    beforeAll(async () => {
      await redis.connect();
    });
    afterAll(async () => {
      await redis.quit();
    });

    it('send flooding per address through several processes is rate limited by the shared store', async () => {
      const keyPrefix = `otpkit-test-${randomBytes(6).toString('hex')}`;
      const shared = () => ({ addressSends: new RateLimiterRedis({ storeClient: redis, useRedisPackage: true, keyPrefix, points: 3, duration: 900 }) });
      // Two processes: each its own sign-in and limiter object, one store.
      const [first, second] = [fixture.signIn({ limits: shared() }), fixture.signIn({ limits: shared() })];
      const { email } = fixture.fresh();
      expect(await first.start({ email })).toMatchObject({ ok: true });
      expect(await second.start({ email })).toMatchObject({ ok: true });
      expect(await first.start({ email })).toMatchObject({ ok: true });
      expect(await second.start({ email })).toEqual({ ok: false, reason: 'rate_limited', retryAt: expect.any(Number) });
      expect(await first.start({ email })).toMatchObject({ ok: false, reason: 'rate_limited' });
      await Promise.all([first.idle(), second.idle()]);
    });

    it('a store that fails is a StorageError, never a silent pass', async () => {
      const down = createClient({ url: 'redis://127.0.0.1:9', socket: { reconnectStrategy: false, connectTimeout: 500 } });
      const limiter = new RateLimiterRedis({ storeClient: down, useRedisPackage: true, keyPrefix: 'otpkit-down', points: 3, duration: 900 });
      const signIn = fixture.signIn({ limits: { addressSends: limiter } });
      await expect(signIn.start({ email: fixture.fresh().email })).rejects.toMatchObject({ code: 'ERR_OTP_STORAGE' });
    });
  });
});
