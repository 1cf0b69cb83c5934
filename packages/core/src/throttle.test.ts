import { describe, expect, it } from 'vitest';
import { throttleAllowance, throttleDelayMs } from './throttle.js';

describe('throttling arithmetic', () => {
  it('delays factor·2^(n−1) seconds after n failures', () => {
    expect([0, 1, 2, 3, 4].map((n) => throttleDelayMs(n, { factor: 1 }))).toEqual([0, 1000, 2000, 4000, 8000]);
    expect(throttleDelayMs(3, { factor: 5 })).toBe(20_000);
  });

  it('is disabled by factor 0 and capped by maxDelaySeconds', () => {
    expect(throttleDelayMs(10, { factor: 0 })).toBe(0);
    expect(throttleDelayMs(10, { factor: 1, maxDelaySeconds: 60 })).toBe(60_000);
  });

  it('stays finite for absurd failure counts', () => {
    expect(Number.isFinite(throttleDelayMs(1_000_000, { factor: 1 }))).toBe(true);
  });

  it('allows at exactly lastFailure + delay, and reports when it lifts before that', () => {
    expect(throttleAllowance(2, 10_000, 11_999, { factor: 1 })).toEqual({
      allowed: false,
      reason: 'throttled',
      failureCount: 2,
      lockedUntil: 12_000,
    });
    expect(throttleAllowance(2, 10_000, 12_000, { factor: 1 })).toEqual({ allowed: true });
    expect(throttleAllowance(0, null, 0, { factor: 1 })).toEqual({ allowed: true });
  });
});
