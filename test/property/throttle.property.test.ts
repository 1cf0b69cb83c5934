import { resolveThrottlePolicy, throttleAllowance, throttleDelayMs, type ThrottlePolicy } from '@otpkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const fail = (message: string): never => {
  throw new Error(message);
};
const policy = fc
  .record({
    factor: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3600 }), fc.double({ min: 0, max: 1e6, noNaN: true })),
    maxDelaySeconds: fc.option(fc.oneof(fc.integer({ min: 0, max: 86_400 }), fc.double({ min: 0, max: 1e9, noNaN: true })), { nil: undefined }),
  })
  .map((input) => resolveThrottlePolicy(input, fail));
const failures = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 1_000_000 }));
const time = fc.integer({ min: 0, max: 2 ** 50 });

describe('throttling arithmetic (property)', () => {
  it('waits factor × 2^(n−1) seconds after n failures, capped at maxDelaySeconds and at the safe integer range', () => {
    fc.assert(
      fc.property(policy, fc.integer({ min: 1, max: 1024 }), (p, n) => {
        let seconds = p.factor * 2 ** (n - 1);
        if (p.maxDelaySeconds !== undefined) seconds = Math.min(seconds, p.maxDelaySeconds);
        expect(throttleDelayMs(n, p)).toBe(p.factor === 0 ? 0 : Math.min(seconds * 1000, Number.MAX_SAFE_INTEGER));
      }),
    );
  });

  it('never delays without failures or with factor 0', () => {
    fc.assert(
      fc.property(policy, failures, (p, n) => {
        expect(throttleDelayMs(0, p)).toBe(0);
        expect(throttleDelayMs(n, { ...p, factor: 0 })).toBe(0);
      }),
    );
  });

  it('never shrinks as failures grow, and stays a finite, safe number of milliseconds', () => {
    fc.assert(
      fc.property(policy, failures, failures, (p, a, b) => {
        const [fewer, more] = a <= b ? [a, b] : [b, a];
        const delay = throttleDelayMs(more, p);
        expect(throttleDelayMs(fewer, p)).toBeLessThanOrEqual(delay);
        expect(Number.isFinite(delay) && delay >= 0 && delay <= Number.MAX_SAFE_INTEGER).toBe(true);
      }),
    );
  });

  it('allows an attempt exactly from lastFailure + delay on, and says until when otherwise', () => {
    fc.assert(
      fc.property(policy, failures, time, time, (p, n, lastFailureAt, elapsed) => {
        const now = lastFailureAt + elapsed;
        const lockedUntil = Math.min(lastFailureAt + throttleDelayMs(n, p), Number.MAX_SAFE_INTEGER);
        const allowance = throttleAllowance(n, lastFailureAt, now, p);
        if (now >= lockedUntil) expect(allowance).toEqual({ allowed: true });
        else expect(allowance).toEqual({ allowed: false, reason: 'throttled', failureCount: n, lockedUntil });
      }),
    );
  });

  it('allows every attempt when no failure time is recorded', () => {
    fc.assert(
      fc.property(policy, failures, time, (p, n, now) => {
        expect(throttleAllowance(n, null, now, p)).toEqual({ allowed: true });
      }),
    );
  });

  it('refuses policies with a negative or non-finite factor or cap, naming what is wrong', () => {
    const bad = fc.oneof(fc.double({ max: -Number.MIN_VALUE }), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY));
    fc.assert(
      fc.property(bad, (value) => {
        expect(() => resolveThrottlePolicy({ factor: value }, fail)).toThrow(/factor/);
        expect(() => resolveThrottlePolicy({ factor: 1, maxDelaySeconds: value }, fail)).toThrow(/maxDelaySeconds/);
      }),
    );
  });

  it('resolves to a frozen policy that keeps the given values', () => {
    fc.assert(
      fc.property(policy, (p: ThrottlePolicy) => {
        expect(Object.isFrozen(p)).toBe(true);
        expect(resolveThrottlePolicy(p, fail)).toEqual(p);
      }),
    );
  });
});
