import { createOtp, ValidationError, type OtpEventOf } from '@otpkit/core';
import { describeOnEachBackend } from '@otpkit/core/testing';
import { staticTokens } from '@otpkit/static';
import { createTokenSessions, generateSigningKey, type RefreshOutcome } from '@otpkit/tokens';
import { expect, it } from 'vitest';
import { AUDIENCE, ISSUER, sessionsFixture } from './test-support/sessions-fixture.js';

const SIGN_IN = { amr: ['pwd', 'otp'], aal: 2 } as const;
const DAY = 86_400;

/** The new pair of a refresh that must succeed. */
function succeeded(outcome: RefreshOutcome): Extract<RefreshOutcome, { ok: true }> {
  if (!outcome.ok) throw new Error(`the refresh was refused: ${outcome.reason}`);
  return outcome;
}

describeOnEachBackend('token sessions', (block) => {
  const fixture = sessionsFixture(block);

  it('refresh rotates: a new pair for the same session, and the old refresh token is refused after use', async () => {
    const sessions = fixture.sessions();
    const first = await sessions.issue(fixture.nextUser(), SIGN_IN);
    fixture.clock.advanceSeconds(60);
    const second = succeeded(await sessions.refresh(first.refreshToken));
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.refreshToken.startsWith(`${first.sessionId}.`)).toBe(true);
    expect(await sessions.verifyAccessToken(second.accessToken, { checkRevoked: true })).toMatchObject({ ok: true, claims: { sid: first.sessionId, amr: ['pwd', 'otp'], aal: 2 } });
    expect(await sessions.refresh(first.refreshToken)).toEqual({ ok: false, reason: 'reused' });
  });

  it('refresh token reuse: presenting a rotated token revokes the family, so the thief and the victim both lose it', async () => {
    const sessions = fixture.sessions();
    const user = fixture.nextUser();
    const stolen = await sessions.issue(user, SIGN_IN);
    const victim = succeeded(await sessions.refresh(stolen.refreshToken));
    expect(await sessions.refresh(stolen.refreshToken)).toEqual({ ok: false, reason: 'reused' });
    expect(await sessions.refresh(victim.refreshToken)).toEqual({ ok: false, reason: 'revoked' });
    expect(await sessions.refresh(stolen.refreshToken)).toEqual({ ok: false, reason: 'reused' });
    expect(await sessions.verifyAccessToken(victim.accessToken, { checkRevoked: true })).toEqual({ ok: false, reason: 'revoked' });
    expect(await sessions.listSessions(user)).toEqual([]);
  });

  it('forged refresh token with a real session id (seen in a JWT): refused as invalid and revokes nothing', async () => {
    const sessions = fixture.sessions();
    const user = fixture.nextUser();
    const issued = await sessions.issue(user, SIGN_IN);
    const forged = `${issued.sessionId}.${'A'.repeat(43)}`;
    expect(await sessions.refresh(forged)).toEqual({ ok: false, reason: 'invalid' });
    expect((await sessions.listSessions(user)).map((session) => session.id)).toEqual([issued.sessionId]);
    expect(await sessions.refresh(issued.refreshToken)).toMatchObject({ ok: true });
  });

  it('a refresh token of one session does not refresh another (the session id is part of what is digested)', async () => {
    const sessions = fixture.sessions();
    const mine = await sessions.issue(fixture.nextUser(), SIGN_IN);
    const other = await sessions.issue(fixture.nextUser(), SIGN_IN);
    const secret = mine.refreshToken.split('.')[1];
    expect(await sessions.refresh(`${other.sessionId}.${secret}`)).toEqual({ ok: false, reason: 'invalid' });
    expect(await sessions.refresh(other.refreshToken)).toMatchObject({ ok: true });
  });

  it('50 racing refreshes of one token: exactly one succeeds; the others count as reuse', async () => {
    const sessions = fixture.sessions();
    const issued = await sessions.issue(fixture.nextUser(), SIGN_IN);
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => sessions.refresh(issued.refreshToken)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(outcomes.filter((outcome) => !outcome.ok).map((outcome) => (outcome.ok ? null : outcome.reason))).toEqual(Array(49).fill('reused'));
  });

  it('reuseGraceSeconds: racing refreshes within the grace leave the session alive; reuse after it, or of an older token, still revokes', async () => {
    const sessions = fixture.sessions({ reuseGraceSeconds: 10 });
    const issued = await sessions.issue(fixture.nextUser(), SIGN_IN);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => sessions.refresh(issued.refreshToken)));
    const winner = succeeded(outcomes.find((outcome) => outcome.ok)!);
    expect(outcomes.filter((outcome) => !outcome.ok).map((outcome) => (outcome.ok ? null : outcome.reason))).toEqual(Array(19).fill('superseded'));
    const next = succeeded(await sessions.refresh(winner.refreshToken));
    expect(await sessions.refresh(issued.refreshToken)).toEqual({ ok: false, reason: 'reused' });
    expect(await sessions.refresh(next.refreshToken)).toEqual({ ok: false, reason: 'revoked' });

    const late = await sessions.issue(fixture.nextUser(), SIGN_IN);
    const refreshed = succeeded(await sessions.refresh(late.refreshToken));
    fixture.clock.advanceSeconds(10);
    expect(await sessions.refresh(late.refreshToken)).toEqual({ ok: false, reason: 'reused' });
    expect(await sessions.refresh(refreshed.refreshToken)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('sweepExpired deletes the sessions that can never be used again, with their used digests, and keeps the live ones', async () => {
    const sessions = fixture.sessions({ idleSeconds: DAY, refreshTokenSeconds: 3 * DAY });
    const user = fixture.nextUser();
    const idle = await sessions.issue(user, SIGN_IN);
    succeeded(await sessions.refresh(idle.refreshToken));
    const revoked = await sessions.issue(user, SIGN_IN);
    await sessions.logout(revoked.sessionId);
    fixture.clock.advanceSeconds(DAY - 60);
    const live = await sessions.issue(user, SIGN_IN);
    const recentlyRevoked = await sessions.issue(user, SIGN_IN);
    await sessions.logout(recentlyRevoked.sessionId);
    fixture.clock.advanceSeconds(60);
    await sessions.sweepExpired();
    const remaining = await block.database.knex('otp_token_session').where('user_id', String(user)).pluck('id');
    expect(remaining.sort()).toEqual([live.sessionId, recentlyRevoked.sessionId].sort());
    expect(await block.database.knex('otp_token_refresh_used').where('session_id', idle.sessionId)).toEqual([]);
    expect(await sessions.refresh(live.refreshToken)).toMatchObject({ ok: true });
    expect(await sessions.verifyAccessToken(revoked.accessToken, { checkRevoked: true })).toMatchObject({ ok: false });
  });

  it('logoutOthers leaves exactly the current session', async () => {
    const sessions = fixture.sessions();
    const user = fixture.nextUser();
    const phone = await sessions.issue(user, SIGN_IN);
    const laptop = await sessions.issue(user, SIGN_IN);
    const tablet = await sessions.issue(user, SIGN_IN);
    const someoneElse = await sessions.issue(fixture.nextUser(), SIGN_IN);
    expect(await sessions.logoutOthers(user, laptop.sessionId)).toBe(2);
    expect((await sessions.listSessions(user)).map((session) => session.id)).toEqual([laptop.sessionId]);
    expect(await sessions.refresh(phone.refreshToken)).toEqual({ ok: false, reason: 'revoked' });
    expect(await sessions.refresh(tablet.refreshToken)).toEqual({ ok: false, reason: 'revoked' });
    expect(await sessions.refresh(someoneElse.refreshToken)).toMatchObject({ ok: true });
  });

  it('a revoked session: its refresh fails at once; its access token verifies statelessly until exp, and fails with checkRevoked', async () => {
    const sessions = fixture.sessions();
    const issued = await sessions.issue(fixture.nextUser(), SIGN_IN);
    expect(await sessions.logout(issued.sessionId)).toBe(true);
    expect(await sessions.logout(issued.sessionId)).toBe(false);
    expect(await sessions.refresh(issued.refreshToken)).toEqual({ ok: false, reason: 'revoked' });
    expect(await sessions.verifyAccessToken(issued.accessToken)).toMatchObject({ ok: true });
    expect(await sessions.verifyAccessToken(issued.accessToken, { checkRevoked: true })).toEqual({ ok: false, reason: 'revoked' });
    fixture.clock.advanceSeconds(600);
    expect(await sessions.verifyAccessToken(issued.accessToken)).toEqual({ ok: false, reason: 'expired' });
  });

  it('logoutWithRefreshToken ends the session of its current token; a forged one with the same session id ends nothing', async () => {
    const sessions = fixture.sessions();
    const user = fixture.nextUser();
    const issued = await sessions.issue(user, SIGN_IN);
    const other = await sessions.issue(user, SIGN_IN);
    expect(await sessions.logoutWithRefreshToken(`${issued.sessionId}.${'A'.repeat(43)}`)).toBe(false);
    expect((await sessions.listSessions(user)).map((session) => session.id).sort()).toEqual([issued.sessionId, other.sessionId].sort());
    const current = succeeded(await sessions.refresh(issued.refreshToken));
    expect(await sessions.logoutWithRefreshToken(current.refreshToken)).toBe(true);
    expect(await sessions.logoutWithRefreshToken(current.refreshToken)).toBe(false);
    expect(await sessions.refresh(current.refreshToken)).toEqual({ ok: false, reason: 'revoked' });
    expect((await sessions.listSessions(user)).map((session) => session.id)).toEqual([other.sessionId]);
  });

  it('logoutWithRefreshToken with a rotated-away token: reuse, so the session is revoked all the same', async () => {
    const sessions = fixture.sessions();
    const issued = await sessions.issue(fixture.nextUser(), SIGN_IN);
    const current = succeeded(await sessions.refresh(issued.refreshToken));
    expect(await sessions.logoutWithRefreshToken(issued.refreshToken)).toBe(true);
    expect(await sessions.refresh(current.refreshToken)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('idle expiry: a session not refreshed for idleSeconds cannot refresh', async () => {
    const sessions = fixture.sessions();
    const issued = await sessions.issue(fixture.nextUser(), SIGN_IN);
    expect(issued.refreshTokenExpiresAt).toBe(fixture.clock.now() + 14 * DAY * 1000);
    fixture.clock.advanceSeconds(14 * DAY - 1);
    const kept = succeeded(await sessions.refresh(issued.refreshToken));
    fixture.clock.advanceSeconds(14 * DAY);
    expect(await sessions.refresh(kept.refreshToken)).toEqual({ ok: false, reason: 'expired' });
  });

  it('absolute expiry: refreshing keeps a session alive at most refreshTokenSeconds from sign-in', async () => {
    const sessions = fixture.sessions();
    const user = fixture.nextUser();
    let { refreshToken } = await sessions.issue(user, SIGN_IN);
    const end = fixture.clock.now() + 30 * DAY * 1000;
    for (let day = 0; day < 3; day += 1) {
      fixture.clock.advanceSeconds(10 * DAY - 1);
      ({ refreshToken } = succeeded(await sessions.refresh(refreshToken)));
    }
    fixture.clock.set(end - 1000);
    const last = succeeded(await sessions.refresh(refreshToken));
    expect(last.refreshTokenExpiresAt).toBe(end);
    expect(last.accessTokenExpiresAt).toBe(end);
    fixture.clock.set(end);
    expect(await sessions.refresh(last.refreshToken)).toEqual({ ok: false, reason: 'expired' });
    expect(await sessions.listSessions(user)).toEqual([]);
  });

  it('stolen session outlives a removed device: removing the device ends the sessions it verified, and only those', async () => {
    const sessions = fixture.sessions();
    const user = fixture.nextUser();
    const device = await fixture.otp.createDevice('static', user, { confirmed: true });
    const withDevice = await sessions.issue(user, { ...SIGN_IN, deviceId: device.persistentId });
    const withPassword = await sessions.issue(user, { amr: ['pwd'], aal: 1 });
    expect(await fixture.otp.removeDevice(user, device.persistentId)).toBe(true);
    expect(await sessions.refresh(withDevice.refreshToken)).toEqual({ ok: false, reason: 'revoked' });
    expect(await sessions.verifyAccessToken(withDevice.accessToken, { checkRevoked: true })).toEqual({ ok: false, reason: 'revoked' });
    expect(await sessions.refresh(withPassword.refreshToken)).toMatchObject({ ok: true });
  });

  it('stolen session outlives a password change: otp.passwordChanged ends every session of the user, and no one else’s', async () => {
    const sessions = fixture.sessions();
    const user = fixture.nextUser();
    const other = fixture.nextUser();
    const first = await sessions.issue(user, SIGN_IN);
    const second = await sessions.issue(user, { amr: ['pwd'], aal: 1 });
    const others = await sessions.issue(other, SIGN_IN);
    await fixture.otp.passwordChanged(user);
    for (const pair of [first, second]) expect(await sessions.refresh(pair.refreshToken)).toEqual({ ok: false, reason: 'revoked' });
    expect(await sessions.listSessions(user)).toEqual([]);
    expect(await sessions.refresh(others.refreshToken)).toMatchObject({ ok: true });
  });

  it("revokeOn: [] leaves removed devices' and password changes' sessions to the application (revokeForDevice, revokeAll)", async () => {
    // An otp instance of its own: the other tests' sessions listen to the fixture's.
    const otp = createOtp({ knex: fixture.otp.knex, devices: [staticTokens()], clock: fixture.clock.now, logger: { warn: () => {} } });
    const user = fixture.nextUser();
    const sessions = createTokenSessions(otp, { issuer: ISSUER, audience: AUDIENCE, signingKeys: [generateSigningKey('EdDSA', 'own')], revokeOn: [] });
    const device = await otp.createDevice('static', user, { confirmed: true });
    const issued = await sessions.issue(user, { ...SIGN_IN, deviceId: device.persistentId });
    await otp.passwordChanged(user);
    expect(await otp.removeDevice(user, device.persistentId)).toBe(true);
    expect(await sessions.listSessions(user)).toHaveLength(1);
    expect(await sessions.revokeForDevice(device.persistentId)).toBe(1);
    expect(await sessions.refresh(issued.refreshToken)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('revokeSession revokes only the user’s own session; revokeAll ends them all', async () => {
    const sessions = fixture.sessions();
    const user = fixture.nextUser();
    const intruder = fixture.nextUser();
    const a = await sessions.issue(user, SIGN_IN);
    const b = await sessions.issue(user, SIGN_IN);
    expect(await sessions.revokeSession(intruder, a.sessionId)).toBe(false);
    expect(await sessions.refresh(a.refreshToken)).toMatchObject({ ok: true });
    expect(await sessions.revokeSession(user, a.sessionId)).toBe(true);
    expect(await sessions.revokeAll(user)).toBe(1);
    expect(await sessions.refresh(b.refreshToken)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('reports every revocation of live sessions once as tokenSessionsRevoked, with the caller (an administrator) in the audit table', async () => {
    // An otp instance of its own with the audit table: the other tests' sessions listen to the fixture's.
    const events: OtpEventOf<'tokenSessionsRevoked'>[] = [];
    const otp = createOtp({ knex: fixture.otp.knex, devices: [staticTokens()], clock: fixture.clock.now, logger: { warn: () => {} }, audit: true, events: { tokenSessionsRevoked: (event) => void events.push(event) } });
    const sessions = createTokenSessions(otp, { issuer: ISSUER, audience: AUDIENCE, signingKeys: [generateSigningKey('EdDSA', 'audited')] });
    const user = fixture.nextUser();
    const admin = { via: 'admin', actor: 'admin:root', ip: '198.51.100.9' };
    const device = await otp.createDevice('static', user, { confirmed: true });
    const current = await sessions.issue(user, SIGN_IN);
    const one = await sessions.issue(user, SIGN_IN);
    await sessions.issue(user, SIGN_IN);
    expect(await sessions.revokeSession(user, one.sessionId, admin)).toBe(true);
    expect(await sessions.revokeSession(user, one.sessionId, admin)).toBe(false);
    expect(await sessions.logoutOthers(user, current.sessionId, { via: 'api' })).toBe(1);
    expect(await sessions.logoutOthers(user, current.sessionId, { via: 'api' })).toBe(0);
    expect(await sessions.revokeAll(user, admin)).toBe(1);
    expect(await sessions.revokeAll(user, admin)).toBe(0);
    await sessions.issue(user, { ...SIGN_IN, deviceId: device.persistentId });
    await otp.removeDevice(user, device.persistentId, { via: 'views', actor: null });
    await sessions.issue(user, SIGN_IN);
    await sessions.issue(user, SIGN_IN);
    await otp.passwordChanged(user, admin);
    await otp.passwordChanged(user, admin);
    expect(events.map(({ userId, deviceId, count, via, ip, actor }) => ({ userId, deviceId, count, via, ip, actor }))).toEqual([
      { userId: String(user), deviceId: null, count: 1, via: 'admin', ip: '198.51.100.9', actor: 'admin:root' },
      { userId: String(user), deviceId: null, count: 1, via: 'api', ip: null, actor: null },
      { userId: String(user), deviceId: null, count: 1, via: 'admin', ip: '198.51.100.9', actor: 'admin:root' },
      { userId: String(user), deviceId: null, count: 1, via: 'views', ip: null, actor: null },
      { userId: String(user), deviceId: null, count: 2, via: 'admin', ip: '198.51.100.9', actor: 'admin:root' },
    ]);
    const audited = (await otp.auditEvents(user)).filter((event) => event.type === 'tokenSessionsRevoked');
    expect(audited.map((event) => event.type === 'tokenSessionsRevoked' && [event.count, event.actor]).reverse()).toEqual([[1, 'admin:root'], [1, null], [1, 'admin:root'], [1, null], [2, 'admin:root']]);
  });

  it("look-alike user id (case, trailing space): lists and revokes none of carol's sessions", async () => {
    const sessions = fixture.sessions();
    const carol = await sessions.issue('carol', SIGN_IN);
    for (const lookAlike of ['Carol', 'carol ', 'CAROL']) {
      expect(await sessions.listSessions(lookAlike)).toEqual([]);
      expect(await sessions.revokeSession(lookAlike, carol.sessionId)).toBe(false);
      expect(await sessions.revokeAll(lookAlike)).toBe(0);
    }
    expect((await sessions.listSessions('carol')).map((session) => session.id)).toEqual([carol.sessionId]);
  });

  it('listSessions shows the sign-in and the client, never a refresh token or its digest', async () => {
    const sessions = fixture.sessions();
    const user = fixture.nextUser();
    const device = await fixture.otp.createDevice('static', user, { confirmed: true });
    const issued = await sessions.issue(user, { ...SIGN_IN, deviceId: device.persistentId, ip: '203.0.113.7', userAgent: `App/1.0 ${'x'.repeat(300)}` });
    const refreshed = succeeded(await sessions.refresh(issued.refreshToken, { ip: '198.51.100.2' }));
    const listed = await sessions.listSessions(user);
    expect(listed).toEqual([
      {
        id: issued.sessionId,
        userId: String(user),
        generation: 1,
        createdAt: fixture.clock.now(),
        lastUsedAt: fixture.clock.now(),
        expiresAt: fixture.clock.now() + 30 * DAY * 1000,
        userAgent: `App/1.0 ${'x'.repeat(247)}`,
        ip: '198.51.100.2',
        amr: ['pwd', 'otp'],
        aal: 2,
        deviceId: device.persistentId,
      },
    ]);
    const stored = (await fixture.otp.knex('otp_token_session').where('id', issued.sessionId).first()) as { refresh_digest: string };
    const used = (await fixture.otp.knex('otp_token_refresh_used').where('session_id', issued.sessionId)) as { digest: string }[];
    const text = JSON.stringify(listed);
    for (const secret of [issued.refreshToken, refreshed.refreshToken].map((token) => token.split('.')[1]!)) expect(text).not.toContain(secret);
    for (const digest of [stored.refresh_digest, ...used.map((row) => row.digest)]) expect(text).not.toContain(digest.split('$').at(-1)!);
    expect(stored.refresh_digest).toMatch(/^hmac2\$1\$/);
    expect(JSON.stringify(stored)).not.toContain(refreshed.refreshToken.split('.')[1]!);
  });

  it('bad input never throws: refused or nothing done; a bad user id or sign-in is a ValidationError', async () => {
    const sessions = fixture.sessions();
    const user = fixture.nextUser();
    const issued = await sessions.issue(user, SIGN_IN);
    const junk: unknown[] = [undefined, null, 42, {}, [], '', 'x'.repeat(100_000), `${issued.sessionId}.`, `${issued.sessionId}.${'A'.repeat(44)}`, 'not-a-session-id', '\u0000.\u0000'];
    for (const value of junk) {
      expect(await sessions.refresh(value)).toEqual({ ok: false, reason: 'invalid' });
      expect(await sessions.verifyAccessToken(value, { checkRevoked: true })).toEqual({ ok: false, reason: 'invalid' });
      expect(await sessions.logout(value)).toBe(false);
      expect(await sessions.logoutWithRefreshToken(value)).toBe(false);
      expect(await sessions.revokeSession(user, value)).toBe(false);
      expect(await sessions.logoutOthers(user, value)).toBe(0);
      expect(await sessions.revokeForDevice(value)).toBe(0);
    }
    expect(await sessions.refresh(issued.sessionId)).toEqual({ ok: false, reason: 'invalid' });
    expect(await sessions.verifyAccessToken(issued.accessToken, null as never)).toMatchObject({ ok: true });
    for (const badUser of [null, '', {}, 1.5, 'u'.repeat(256)]) {
      await expect(sessions.issue(badUser as never, SIGN_IN)).rejects.toThrow(ValidationError);
      await expect(sessions.listSessions(badUser as never)).rejects.toThrow(ValidationError);
      await expect(sessions.revokeAll(badUser as never)).rejects.toThrow(ValidationError);
      await expect(sessions.logoutOthers(badUser as never, issued.sessionId)).rejects.toThrow(ValidationError);
      await expect(sessions.revokeSession(badUser as never, issued.sessionId)).rejects.toThrow(ValidationError);
    }
    for (const badSignIn of [null, {}, { amr: [], aal: 2 }, { amr: ['pwd'], aal: 3 }, { amr: ['p w d'], aal: 1 }, { amr: ['a'.repeat(25)], aal: 1 }, { amr: Array(9).fill('pwd'), aal: 1 }, { amr: ['pwd'], aal: 1, deviceId: 'not a device' }]) {
      await expect(sessions.issue(user, badSignIn as never)).rejects.toThrow(ValidationError);
    }
    expect((await sessions.listSessions(user)).map((session) => session.id)).toEqual([issued.sessionId]);
    expect(await sessions.refresh(issued.refreshToken)).toMatchObject({ ok: true });
    const longest = Array.from({ length: 8 }, (_, index) => String(index).repeat(24));
    const widest = await sessions.issue(user, { amr: longest, aal: 1 });
    expect(await sessions.verifyAccessToken(widest.accessToken, { checkRevoked: true })).toMatchObject({ ok: true, claims: { amr: longest } });
  });
});
