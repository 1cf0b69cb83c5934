import { describe, expect, it } from 'vitest';
import { describeRefusal } from './describe-refusal.js';
import type { Refusal } from './outcomes.js';

const NOW = 1_700_000_000_000;

describe('describeRefusal', () => {
  it('reports a wrong token with the budget spent and, when the next attempt must wait, how long', () => {
    expect(describeRefusal({ ok: false, reason: 'invalid_token', failureCount: 3, lockedUntil: NOW + 4000 }, NOW)).toEqual({
      reason: 'invalid_token',
      retryAfter: 4,
      retryAt: NOW + 4000,
      failureCount: 3,
    });
    expect(describeRefusal({ ok: false, reason: 'invalid_token', failureCount: 0, lockedUntil: null }, NOW)).toEqual({
      reason: 'invalid_token',
      retryAfter: null,
      retryAt: null,
      failureCount: 0,
    });
  });

  it('reports a malformed token with no failure count and no wait: nothing was charged', () => {
    expect(describeRefusal({ ok: false, reason: 'malformed_token' }, NOW)).toEqual({
      reason: 'malformed_token',
      retryAfter: null,
      retryAt: null,
      failureCount: null,
    });
  });

  it('reports a throttle with the failure count and the whole seconds until it lifts, rounded up', () => {
    expect(describeRefusal({ ok: false, reason: 'throttled', failureCount: 5, lockedUntil: NOW + 15_001 }, NOW)).toEqual({
      reason: 'throttled',
      retryAfter: 16,
      retryAt: NOW + 15_001,
      failureCount: 5,
    });
  });

  it('reports a cooldown with the wait until the next send, and never as a throttle', () => {
    expect(describeRefusal({ ok: false, reason: 'cooldown', nextAt: NOW + 59_400 }, NOW)).toEqual({
      reason: 'cooldown',
      retryAfter: 60,
      retryAt: NOW + 59_400,
      failureCount: null,
    });
  });

  it('reports a daily send limit with the wait until the window moves on', () => {
    expect(describeRefusal({ ok: false, reason: 'daily_limit', retryAt: NOW + 3_600_000 }, NOW)).toEqual({
      reason: 'daily_limit',
      retryAfter: 3600,
      retryAt: NOW + 3_600_000,
      failureCount: null,
    });
  });

  it('reports a missing device and a device that sends nothing with neither wait nor count', () => {
    for (const reason of ['no_device', 'not_interactive'] as const) {
      expect(describeRefusal({ ok: false, reason }, NOW)).toEqual({ reason, retryAfter: null, retryAt: null, failureCount: null });
    }
  });

  it('never asks to wait less than a second, even when the lock lifts now or has lifted', () => {
    const lifting: Refusal[] = [
      { ok: false, reason: 'throttled', failureCount: 1, lockedUntil: NOW + 1 },
      { ok: false, reason: 'throttled', failureCount: 1, lockedUntil: NOW },
      { ok: false, reason: 'cooldown', nextAt: NOW - 500 },
    ];
    for (const refusal of lifting) expect(describeRefusal(refusal, NOW).retryAfter).toBe(1);
  });
});
