import { ConfigurationError, ValidationError } from '@otpkit/core';
import { describeOnEachBackend } from '@otpkit/core/testing';
import { describe, expect, it } from 'vitest';
import { lastLinkTokenTo } from './test-support/link-token.js';
import { signInFixture } from './test-support/signin-fixture.js';

const BROWSER = 'browser-of-the-asker-0123456789';
const OTHER_BROWSER = 'browser-of-someone-else-98765';

describeOnEachBackend('magic links', (block) => {
  const fixture = signInFixture(block);
  const mailedLink = async (purpose: 'login' | 'both' = 'login') => {
    const signIn = fixture.signIn();
    const user = await fixture.emailUser(purpose);
    expect(await signIn.startLink({ email: user.email }, { browser: BROWSER, ip: '192.0.2.10' })).toEqual({ ok: true, validUntil: expect.any(Number) });
    await signIn.idle();
    return { signIn, ...user, token: lastLinkTokenTo(fixture.smtp, user.email) };
  };

  it('magic link works once', async () => {
    const { signIn, userId, device, token } = await mailedLink();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const signedIn = await signIn.finishLink(token, { browser: BROWSER });
    expect(signedIn).toMatchObject({ ok: true, userId, method: 'link', purpose: 'login' });
    expect(signedIn.ok && signedIn.device.persistentId).toBe(device.persistentId);
    expect(await signIn.finishLink(token, { browser: BROWSER })).toEqual({ ok: false, reason: 'invalid_link' });
  });

  it('racing clicks on one magic link give one sign-in', async () => {
    const { signIn, token } = await mailedLink();
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => signIn.finishLink(token, { browser: BROWSER })));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok)).toEqual(Array(29).fill({ ok: false, reason: 'invalid_link' }));
  });

  it('magic link expires', async () => {
    const { signIn, token } = await mailedLink();
    fixture.clock.advanceSeconds(15 * 60);
    expect(await signIn.finishLink(token, { browser: BROWSER })).toEqual({ ok: false, reason: 'invalid_link' });
    expect(await signIn.sweep()).toBeGreaterThanOrEqual(1);
  });

  it('forwarded magic link asks before signing in, and is not spent by asking', async () => {
    const { signIn, userId, token } = await mailedLink();
    expect(await signIn.finishLink(token, { browser: OTHER_BROWSER })).toEqual({ ok: false, reason: 'confirm_browser' });
    expect(await signIn.finishLink(token)).toEqual({ ok: false, reason: 'confirm_browser' });
    expect(await signIn.finishLink(token, { browser: OTHER_BROWSER, confirm: true })).toMatchObject({ ok: true, userId });
    expect(await signIn.finishLink(token, { browser: BROWSER })).toEqual({ ok: false, reason: 'invalid_link' });
  });

  it('without bindToBrowser, a link signs in wherever it is opened', async () => {
    const signIn = fixture.signIn({ bindToBrowser: false });
    const { userId, email } = await fixture.emailUser();
    await signIn.startLink({ email }, { browser: BROWSER });
    await signIn.idle();
    expect(await signIn.finishLink(lastLinkTokenTo(fixture.smtp, email), { browser: OTHER_BROWSER })).toMatchObject({ ok: true, userId });
  });

  it('a link asked for without a browser value asks wherever it is opened', async () => {
    const signIn = fixture.signIn();
    const { email } = await fixture.emailUser();
    await signIn.startLink({ email });
    await signIn.idle();
    expect(await signIn.finishLink(lastLinkTokenTo(fixture.smtp, email), { browser: BROWSER })).toEqual({ ok: false, reason: 'confirm_browser' });
  });

  it('unknown address gets the same answer and no link', async () => {
    const signIn = fixture.signIn();
    const known = await fixture.emailUser();
    const unknown = fixture.fresh().email;
    const at = fixture.clock.now();
    fixture.clock.set(at);
    const knownAnswer = await signIn.startLink({ email: known.email }, { browser: BROWSER });
    fixture.clock.set(at);
    expect(await signIn.startLink({ email: unknown }, { browser: BROWSER })).toEqual(knownAnswer);
    await signIn.idle();
    expect(fixture.smtp.messages.some((message) => message.to.includes(unknown))).toBe(false);
  });

  it('the token and the browser are stored only as keyed digests', async () => {
    const { token } = await mailedLink();
    const rows = await block.database.knex('otp_signin_link').select('*');
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(BROWSER);
    expect(rows.every((row: { token_digest: string }) => row.token_digest.startsWith('hmac2$'))).toBe(true);
  });

  it('a magic link as the second factor of a signed-in user goes to their second-factor inbox only', async () => {
    const signIn = fixture.signIn();
    const { userId, email, device } = await fixture.emailUser('second-factor');
    expect(await signIn.startLink({ userId, deviceId: device.persistentId }, { browser: BROWSER })).toMatchObject({ ok: true });
    await signIn.idle();
    const token = lastLinkTokenTo(fixture.smtp, email);
    const verified = await signIn.finishLink(token, { browser: BROWSER });
    expect(verified).toMatchObject({ ok: true, userId, method: 'link', purpose: 'second-factor' });
    // A login-only inbox is no second factor, and a second-factor inbox signs no one in.
    const loginOnly = await fixture.emailUser('login');
    const sent = fixture.smtp.messages.length;
    await signIn.startLink({ userId: loginOnly.userId, deviceId: loginOnly.device.persistentId }, { browser: BROWSER });
    await signIn.startLink({ userId: 'someone-else', deviceId: device.persistentId }, { browser: BROWSER });
    await signIn.startLink({ email }, { browser: BROWSER });
    await signIn.idle();
    expect(fixture.smtp.messages.length).toBe(sent);
  });

  it('a link stops working when its device is removed', async () => {
    const { signIn, userId, device, token } = await mailedLink();
    await fixture.otp.removeDevice(userId, device.persistentId);
    expect(await signIn.finishLink(token, { browser: BROWSER })).toEqual({ ok: false, reason: 'invalid_link' });
  });

  describe('bad input', () => {
    it('link tokens of any shape are refused, never thrown', async () => {
      const signIn = fixture.signIn();
      for (const token of [undefined, null, 42, {}, [], '', 'x'.repeat(1_000_000), 'A'.repeat(43), '../../etc/passwd', "' OR 1=1 --"]) {
        expect(await signIn.finishLink(token, { browser: BROWSER })).toEqual({ ok: false, reason: 'invalid_link' });
      }
      expect(await signIn.finishLink('A'.repeat(43), { browser: { not: 'a string' } as unknown as string, confirm: 'yes' as unknown as boolean })).toEqual({ ok: false, reason: 'invalid_link' });
    });

    it('recipients and browsers of another shape throw a ValidationError', async () => {
      const signIn = fixture.signIn();
      for (const recipient of [undefined, null, 42, {}, { phone: '+14155550100' }, { email: 42 }, { userId: {}, deviceId: 'email/1' }, { userId: 'u', deviceId: 42 }]) {
        await expect(signIn.startLink(recipient, { browser: BROWSER })).rejects.toBeInstanceOf(ValidationError);
      }
      await expect(signIn.startLink({ email: 'a@example.test' }, { browser: 'x'.repeat(10_000) })).rejects.toMatchObject({ field: 'browser' });
    });

    it('startLink without linkUrl is a ConfigurationError', async () => {
      await expect(fixture.signIn({ linkUrl: undefined }).startLink({ email: 'a@example.test' })).rejects.toBeInstanceOf(ConfigurationError);
    });
  });
});
