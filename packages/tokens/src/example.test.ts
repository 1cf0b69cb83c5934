import { describeOnEachBackend, FakeClock } from '@otpkit/core/testing';
import { randomBytes } from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { mobileSessionsExample } from './examples/mobile-sessions.js';

describeOnEachBackend('the token sessions example of docs/tokens.md', (block) => {
  it('runs, and answers what its comments say', async () => {
    vi.stubEnv('OTP_KEY_1', randomBytes(32).toString('base64'));
    const clock = new FakeClock();
    const result = await mobileSessionsExample(block.database.knex, 'ann', clock.now);
    expect(result.signedIn.refreshToken.startsWith(`${result.signedIn.sessionId}.`)).toBe(true);
    expect(result.again).toEqual({ ok: false, reason: 'reused' });
    expect(result.request).toMatchObject({ ok: true, claims: { sub: 'ann', sid: result.signedIn.sessionId, amr: ['pwd', 'otp'], aal: 2 } });
    expect(result.sensitive).toEqual({ ok: false, reason: 'revoked' });
    expect(result.published.keys.map((key) => key.kid)).toEqual(['2026-07', '2026-01']);
  });
});
