import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Otp, OtpEvent } from '@otpkit/core';
import { describeOnBackends } from '../../core/src/test-support/backend-fixture.js';
import type { SequenceDevice } from '../../core/src/test-support/sequence-device.js';
import { otpMiddleware, otpRequired, twoFactorApi } from './index.js';
import { HttpClient } from './test-support/http-client.js';
import { startTestServer, type TestServer } from './test-support/test-server.js';


describeOnBackends('otpMiddleware and otpRequired', (fixture) => {
  let otp: Otp;
  let server: TestServer;
  const events: OtpEvent[] = [];

  beforeAll(async () => {
    otp = fixture.otp({
      events: {
        verified: (event) => void events.push(event),
        browserRemembered: (event) => void events.push(event),
        deviceAdded: () => {
          throw new Error('a broken hook');
        },
      },
    });
    server = await startTestServer((app) => {
      app.use(express.json());
      app.use(otpMiddleware(otp, { rememberDevice: { rememberFor: 3600 }, logger: { warn: () => {} } }));
      app.post('/as', (req, res) => {
        req.session.userId = req.body.userId;
        res.json({ ok: true });
      });
      app.post('/verify', async (req, res) => {
        const device = await otp.deviceFromPersistentId(req.body.device);
        await req.otp.login(device!);
        if (req.body.remember === true) await req.otp.remember();
        res.json({ ok: true });
      });
      app.post('/forget', async (req, res) => {
        await req.otp.forget();
        req.otp.logout();
        res.json({ ok: true });
      });
      app.get('/state', (req, res) => {
        res.json({
          userId: req.otp.userId,
          authenticated: req.otp.isAuthenticated(),
          verified: req.otp.isVerified(),
          device: req.otp.device?.persistentId ?? null,
          verifiedAt: req.otp.verifiedAt,
        });
      });
      app.get('/guarded', otpRequired({ loginUrl: '/account/login' }), (_req, res) => void res.json({ passed: true }));
      app.get('/if-configured', otpRequired({ loginUrl: '/account/login', ifConfigured: true }), (_req, res) => void res.json({ passed: true }));
      app.get('/fresh', otpRequired({ loginUrl: '/account/login', maxAge: 300 }), (_req, res) => void res.json({ passed: true }));
      app.use((error: { code?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        res.status(500).json({ error: error.code ?? 'unknown' });
      });
    });
  });
  afterAll(() => server.close());

  async function userWithDevice(userId: number, confirmed = true): Promise<SequenceDevice> {
    return (await otp.createDevice('sequence', userId, { confirmed })) as SequenceDevice;
  }

  async function loggedIn(userId: number): Promise<HttpClient> {
    const client = new HttpClient(server.url);
    await client.sendJson('/as', { userId });
    return client;
  }

  it('gives an anonymous request an unauthenticated, unverified req.otp', async () => {
    const { body } = await new HttpClient(server.url).getJson('/state');
    expect(body).toEqual({ userId: null, authenticated: false, verified: false, device: null, verifiedAt: null });
  });

  it('stores the device persistent id at login and regenerates the session id', async () => {
    const device = await userWithDevice(1);
    const client = await loggedIn(1);
    const before = client.sessionId;
    const reported = events.length;
    fixture.clock.advance(1000);
    expect((await client.sendJson('/verify', { device: device.persistentId })).status).toBe(200);
    expect(client.sessionId).toBeDefined();
    expect(client.sessionId).not.toBe(before);
    const { body } = await client.getJson('/state');
    expect(body).toEqual({ userId: '1', authenticated: true, verified: true, device: device.persistentId, verifiedAt: fixture.clock.now() });
    // The token check that precedes login() is what core reports; login() itself reports nothing.
    expect(events).toHaveLength(reported);
  });

  it('refuses to verify with an unconfirmed device or another user\'s device', async () => {
    const unconfirmed = await userWithDevice(2, false);
    const foreign = await userWithDevice(3);
    const client = await loggedIn(2);
    expect((await client.sendJson('/verify', { device: unconfirmed.persistentId })).body).toEqual({ error: 'ERR_OTP_INVALID_INPUT' });
    expect((await client.sendJson('/verify', { device: foreign.persistentId })).body).toEqual({ error: 'ERR_OTP_INVALID_INPUT' });
    expect((await client.getJson('/state')).body.verified).toBe(false);
  });

  it('drops a stored verification whose device was removed', async () => {
    const device = await userWithDevice(4);
    const client = await loggedIn(4);
    await client.sendJson('/verify', { device: device.persistentId });
    await otp.removeDevice(4, device.persistentId);
    expect((await client.getJson('/state')).body).toMatchObject({ authenticated: true, verified: false, device: null });
  });

  it('drops a stored verification when the device becomes unconfirmed', async () => {
    const device = await userWithDevice(5);
    const client = await loggedIn(5);
    await client.sendJson('/verify', { device: device.persistentId });
    await otp.model('sequence').query().patch({ confirmed: false } as never).where('id', device.id);
    expect((await client.getJson('/state')).body.verified).toBe(false);
  });

  it('drops a stored verification when the session now belongs to another user', async () => {
    const device = await userWithDevice(6);
    const client = await loggedIn(6);
    await client.sendJson('/verify', { device: device.persistentId });
    await client.sendJson('/as', { userId: 7 });
    expect((await client.getJson('/state')).body).toMatchObject({ userId: '7', verified: false });
    await client.sendJson('/as', { userId: 6 });
    expect((await client.getJson('/state')).body.verified).toBe(false);
  });

  describe('otpRequired', () => {
    it('redirects an anonymous HTML request to the login URL with a relative next', async () => {
      const response = await new HttpClient(server.url).request('/guarded?tab=1', { headers: { accept: 'text/html' } });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/account/login?next=%2Fguarded%3Ftab%3D1');
    });

    it('answers a JSON request with 401 unauthenticated, then 403 verification_required', async () => {
      const anonymous = await new HttpClient(server.url).getJson('/guarded');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('unauthenticated');
      await userWithDevice(8);
      const client = await loggedIn(8);
      const unverified = await client.getJson('/guarded');
      expect(unverified.status).toBe(403);
      expect(unverified.body.error.code).toBe('verification_required');
      const xhr = await client.request('/guarded', { headers: { 'x-requested-with': 'XMLHttpRequest' } });
      expect(xhr.status).toBe(403);
    });

    it('lets a verified request through', async () => {
      const device = await userWithDevice(9);
      const client = await loggedIn(9);
      await client.sendJson('/verify', { device: device.persistentId });
      expect((await client.getJson('/guarded')).body).toEqual({ passed: true });
    });

    it('with ifConfigured, lets a user with no confirmed device through and stops one with a device', async () => {
      const client = await loggedIn(10);
      await userWithDevice(10, false);
      expect((await client.getJson('/if-configured')).body).toEqual({ passed: true });
      expect((await client.getJson('/guarded')).status).toBe(403);
      await userWithDevice(10);
      expect((await client.getJson('/if-configured')).status).toBe(403);
    });

    it('with maxAge, asks for a fresh verification once it is older', async () => {
      const device = await userWithDevice(11);
      const client = await loggedIn(11);
      await client.sendJson('/verify', { device: device.persistentId });
      expect((await client.getJson('/fresh')).status).toBe(200);
      fixture.clock.advanceSeconds(301);
      const stale = await client.getJson('/fresh');
      expect(stale.status).toBe(403);
      expect(stale.body.error.code).toBe('recent_verification_required');
      expect((await client.getJson('/guarded')).status).toBe(200);
      const html = await client.request('/fresh', { headers: { accept: 'text/html' } });
      expect(html.headers.get('location')).toBe('/account/login?next=%2Ffresh');
    });
  });

  describe('remember this browser', () => {
    async function rememberedClient(userId: number): Promise<{ device: SequenceDevice; cookie: string }> {
      const device = await userWithDevice(userId);
      const client = await loggedIn(userId);
      const response = await client.request('/verify', { json: { device: device.persistentId, remember: true } });
      const line = response.headers.getSetCookie().find((l) => l.startsWith('otpkit_remember='))!;
      expect(line).toMatch(/HttpOnly/);
      expect(line).toMatch(/SameSite=Lax/);
      expect(line).toMatch(/Max-Age=3600/);
      return { device, cookie: client.cookies.get('otpkit_remember')! };
    }

    async function freshLogin(userId: number, cookie: string): Promise<HttpClient> {
      const client = await loggedIn(userId);
      client.cookies.set('otpkit_remember', cookie);
      return client;
    }

    it('verifies a new session of the same user with the remembered device', async () => {
      const { device, cookie } = await rememberedClient(20);
      const issuedAt = fixture.clock.now();
      fixture.clock.advanceSeconds(60);
      expect(events.at(-1)).toMatchObject({ type: 'browserRemembered', userId: '20', deviceId: device.persistentId, via: 'express', ip: '127.0.0.1' });
      const client = await freshLogin(20, cookie);
      expect((await client.getJson('/state')).body).toMatchObject({ verified: true, device: device.persistentId, verifiedAt: issuedAt });
      expect(events.at(-1)).toMatchObject({ type: 'verified', userId: '20', deviceId: device.persistentId, method: 'remembered', browserId: expect.any(Number), via: 'express', ip: '127.0.0.1' });
      expect((await client.getJson('/state')).body.verified).toBe(true);
      expect(events.filter((event) => event.type === 'verified' && event.userId === '20')).toHaveLength(1);
    });

    it('does not verify another user, an expired cookie or a tampered one', async () => {
      const { cookie } = await rememberedClient(21);
      expect((await (await freshLogin(22, cookie)).getJson('/state')).body.verified).toBe(false);
      const tampered = `${cookie.slice(0, -1)}${cookie.endsWith('A') ? 'B' : 'A'}`;
      expect(tampered).not.toBe(cookie);
      expect((await (await freshLogin(21, tampered)).getJson('/state')).body.verified).toBe(false);
      expect((await (await freshLogin(21, 'garbage')).getJson('/state')).body.verified).toBe(false);
      fixture.clock.advanceSeconds(3600);
      expect((await (await freshLogin(21, cookie)).getJson('/state')).body.verified).toBe(false);
    });

    it('stops working when the verifying device is removed, even if the id is reused', async () => {
      const { device, cookie } = await rememberedClient(23);
      await otp.removeDevice(23, device.persistentId);
      expect((await (await freshLogin(23, cookie)).getJson('/state')).body.verified).toBe(false);
    });

    it('stops working when the verifying device is reset (unconfirmed)', async () => {
      const { device, cookie } = await rememberedClient(24);
      await otp.model('sequence').query().patch({ confirmed: false } as never).where('id', device.id);
      expect((await (await freshLogin(24, cookie)).getJson('/state')).body.verified).toBe(false);
    });

    it('is cleared by forget()', async () => {
      const { cookie } = await rememberedClient(25);
      const client = await freshLogin(25, cookie);
      await client.sendJson('/forget', {});
      expect(client.cookies.has('otpkit_remember')).toBe(false);
      expect((await (await freshLogin(25, cookie)).getJson('/state')).body.verified).toBe(false);
    });
  });
});

describe('otpMiddleware options', () => {
  const fakeOtp = { deviceFromPersistentId: async () => null } as unknown as Otp;

  it('refuses a 0.1 remember secret, bad session keys and event hooks (which moved to createOtp) at start-up', () => {
    expect(() => otpMiddleware(fakeOtp, { rememberDevice: { secret: 'x'.repeat(40) } as never })).toThrow(/secret is no longer used: remove it/);
    expect(() => otpMiddleware(fakeOtp, { sessionKeys: ['cookie'] })).toThrow(/sessionKeys/);
    expect(() => otpMiddleware(fakeOtp, { events: { verified: () => {} } } as never)).toThrow(/otpMiddleware: events moved to createOtp\(\{ events \}\)/);
    expect(() => otpRequired({ loginUrl: 'https://evil.example/' })).toThrow(/loginUrl/);
  });

  it('refuses the 0.1 options of twoFactorApi and a bad rescue at start-up, naming the fix', () => {
    const otp = { plugins: [] } as unknown as Otp;
    expect(() => twoFactorApi(otp, { recentVerification: 300 } as never)).toThrow('recentVerification moved to otpMiddleware(otp, { recentVerification })');
    expect(() => twoFactorApi(otp, { rescueDeviceName: 'Mail' } as never)).toThrow(/rescueDeviceName is gone/);
    expect(() => twoFactorApi(otp, { rescue: true } as never)).toThrow(/rescue must be false/);
    expect(() => twoFactorApi(otp, { rescue: { mode: 'help' } } as never)).toThrow(/needs a notifyAdmins function/);
    expect(() => twoFactorApi(otp, { rescue: { mode: 'email', noticeText: '' } })).toThrow(/noticeText/);
    expect(() => twoFactorApi(otp, { rescue: false })).not.toThrow();
  });
});
