import { describe, expect, it } from 'vitest';
import type express from 'express';
import { ConfigurationError, type AuditEvent } from '@otpkit/core';
import { otpAdminRouter, otpMiddleware } from '@otpkit/express';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import type { SequenceDevice } from '../../packages/core/src/test-support/sequence-device.js';
import { mountAdminPages } from '../../packages/express/src/examples/admin-pages.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf } from '../../packages/express/src/test-support/otp-app.js';
import { startTestServer } from '../../packages/express/src/test-support/test-server.js';
import { useAdminApp } from './support/admin-app.js';

const ADMIN = '/admin/2fa';

/** The page's refusal code (`data-code`), or `null`. */
function refusalOf(page: string): string | null {
  return /data-code="([a-z_]+)"/.exec(page)?.[1] ?? null;
}

/** A JSON refusal's `error.code`. */
async function codeOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

/** What a revocation event says: how many, who, through what. */
function countedBy(event: AuditEvent) {
  return { count: (event as AuditEvent & { count?: number }).count, actor: event.actor, via: event.via };
}

describe('otpAdminRouter options', () => {
  const otp = {} as never;
  it('refuses bad options at start-up, naming the fix', () => {
    expect(() => otpAdminRouter(otp, {} as never)).toThrow(/authorize must be a function/);
    expect(() => otpAdminRouter(otp, { authorize: () => null, authorise: 1 } as never)).toThrow(/unknown option "authorise" \(did you mean "authorize"\?\)/);
    expect(() => otpAdminRouter(otp, { authorize: () => null, maxAge: 0 })).toThrow(/maxAge must be a positive number/);
    expect(() => otpAdminRouter(otp, { authorize: () => null, maxAge: 60, requireVerification: false })).toThrow(/maxAge needs requireVerification/);
    expect(() => otpAdminRouter(otp, { authorize: () => null, verifyUrl: 'https://evil.example/verify' })).toThrow(/verifyUrl must be a path/);
    expect(() => otpAdminRouter(otp, { authorize: () => null, tokenSessions: {} as never })).toThrow(ConfigurationError);
  });
});

describeOnBackends('otpAdminRouter', (fixture) => {
  // The docs' example at /admin/2fa, and a router with maxAge at /admin/recent.
  const app = useAdminApp(fixture, (server, mount) => {
    mountAdminPages(server, mount);
    server.use('/admin/recent', otpAdminRouter(mount.otp, { authorize: (req) => (req.otp.userId !== null && app.admins.has(req.otp.userId) ? req.otp.userId : null), maxAge: 300 }));
  });

  /** A page of the admin router, 200 expected. */
  async function page(client: HttpClient, path: string): Promise<string> {
    const response = await client.request(`${ADMIN}${path}`, { headers: { accept: 'text/html', 'accept-language': 'en' } });
    expect(response.status, path).toBe(200);
    return response.text();
  }

  /** Posts an action from the user's page with the page's CSRF token. */
  async function act(client: HttpClient, userId: string, action: string, form: Record<string, string> = {}) {
    const csrf = csrfOf(await page(client, `/users/${userId}`));
    const response = await client.request(`${ADMIN}/users/${userId}${action}`, { form: { _csrf: csrf, ...form }, headers: { accept: 'text/html' } });
    return { status: response.status, location: response.headers.get('location'), text: await response.text(), headers: response.headers };
  }

  it('finds a user by username, email address in any case, or id; lists the users who share an address', async () => {
    const { client } = await app.admin('finder-admin');
    const carol = await app.user('carol', 'Carol@Example.test');
    const found = async (query: string) => (await client.request(`${ADMIN}/?q=${encodeURIComponent(query)}`)).headers.get('location');
    expect(await found('carol')).toBe(`${ADMIN}/users/${carol.id}`);
    expect(await found(' carol@example.TEST ')).toBe(`${ADMIN}/users/${carol.id}`);
    expect(await found(carol.id)).toBe(`${ADMIN}/users/${carol.id}`);
    const twin = await app.user('carol-twin', 'carol@example.test');
    const several = await page(client, `/?q=carol%40example.test`);
    expect(several).toContain(`<a href="${ADMIN}/users/${carol.id}">carol</a>`);
    expect(several).toContain(`<a href="${ADMIN}/users/${twin.id}">carol-twin</a>`);
    const none = await client.request(`${ADMIN}/?q=nobody-here`);
    expect(none.status).toBe(404);
    const text = await none.text();
    expect(refusalOf(text)).toBe('user_not_found');
    expect(text).toContain('value="nobody-here"');
    expect(text).toContain('<label for="q">Username, email address or user id</label>');
  });

  it("shows a user's devices, browsers, token sessions and events, never a secret, on a no-store page without script", async () => {
    const { client } = await app.admin('viewer-admin');
    const dave = await app.user('dave');
    const secret = dave.device.currentToken().slice(0, -1);
    await app.otp.createDevice('totp', dave.id, { name: 'Phone <b>', confirmed: true });
    await app.otp.browsers.remember(dave.id, dave.device.persistentId, { ttlSeconds: 3600, userAgent: 'DaveBrowser/1.0' });
    await app.sessions.issue(dave.id, { amr: ['pwd', 'otp'], aal: 2, userAgent: 'DaveApp/2.0', ip: '203.0.113.7' });
    const response = await client.request(`${ADMIN}/users/${dave.id}`, { headers: { 'accept-language': 'en' } });
    const html = await response.text();
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Two-factor: dave</h1>');
    expect(html).toContain('<td>Phone &lt;b&gt;</td>');
    expect(html).toContain('<td>DaveBrowser/1.0</td>');
    expect(html).toContain('<td>DaveApp/2.0</td>');
    expect(html).toContain('<td>203.0.113.7</td>');
    expect(html).toContain('<code>deviceAdded</code>');
    expect(html).toContain('<th scope="col">Failed attempts</th>');
    expect(html).toContain('aria-label="Remove the device Key"');
    expect(html).not.toContain(secret);
    expect(html).not.toMatch(/<script/);
  });

  it('clears the failed attempts: the user verifies again at once; one throttleReset event names the administrator', async () => {
    const { id: adminId, client } = await app.admin('throttle-admin');
    const erin = await app.user('erin');
    for (let i = 0; i < 4; i += 1) await app.otp.verify(erin.id, erin.device.persistentId, 'wrong-token');
    const token = () => app.otp.deviceFromPersistentId<SequenceDevice>(erin.device.persistentId).then((device) => device!.currentToken());
    expect(await app.otp.verify(erin.id, erin.device.persistentId, await token())).toMatchObject({ ok: false, reason: 'throttled' });
    const before = await page(client, `/users/${erin.id}`);
    expect(before).toMatch(/<td>\d+ \(locked until <time/);
    const result = await act(client, erin.id, '/throttle/reset');
    expect(result.status).toBe(303);
    expect(result.location).toBe(`${ADMIN}/users/${erin.id}`);
    const after = await page(client, `/users/${erin.id}`);
    expect(after).toContain('<div class="message" role="status"><p>The failed attempts were cleared: the user may try again now.</p></div>');
    expect(await page(client, `/users/${erin.id}`)).not.toContain('role="status"');
    expect(await app.otp.verify(erin.id, erin.device.persistentId, await token())).toMatchObject({ ok: true });
    expect(await app.audited(erin.id, 'throttleReset')).toEqual([expect.objectContaining({ actor: adminId, via: 'admin', cleared: true })]);
  });

  it('removes a device: its remembered browsers go with it; one deviceRemoved event names the administrator', async () => {
    const { id: adminId, client } = await app.admin('remover-admin');
    const frank = await app.user('frank');
    const phone = await app.otp.createDevice('totp', frank.id, { name: 'Old phone', confirmed: true });
    await app.otp.browsers.remember(frank.id, phone.persistentId, { ttlSeconds: 3600 });
    const result = await act(client, frank.id, '/devices/remove', { device: phone.persistentId });
    expect(result.status).toBe(303);
    expect(await page(client, `/users/${frank.id}`)).toContain('The device Old phone was removed.');
    expect(await app.otp.deviceFromPersistentId(phone.persistentId)).toBeNull();
    expect(await app.otp.browsers.list(frank.id)).toEqual([]);
    expect(await app.audited(frank.id, 'deviceRemoved')).toEqual([expect.objectContaining({ deviceId: phone.persistentId, actor: adminId, via: 'admin' })]);
    const again = await act(client, frank.id, '/devices/remove', { device: phone.persistentId });
    expect([again.status, refusalOf(again.text)]).toEqual([404, 'device_not_found']);
    const admins = await app.otp.devicesForUser(adminId);
    const other = await act(client, frank.id, '/devices/remove', { device: admins[0]!.persistentId });
    expect([other.status, refusalOf(other.text)]).toEqual([404, 'device_not_found']);
    expect(await app.otp.devicesForUser(adminId)).toHaveLength(1);
    expect(await app.audited(frank.id, 'deviceRemoved')).toHaveLength(1);
  });

  /** The two kinds of revocation the user's page offers: what they are, how the test makes and lists them. */
  const revocations = [
    {
      what: 'remembered browser',
      path: 'browsers',
      field: 'browser',
      event: 'browsersRevoked',
      notices: ['The browser was revoked: it asks for the second factor again.', '2 remembered browsers were revoked.'],
      add: async (user: { id: string; device: SequenceDevice }, agent: string) => String((await app.otp.browsers.remember(user.id, user.device.persistentId, { ttlSeconds: 3600, userAgent: agent })).browser.id),
      agents: async (userId: string) => (await app.otp.browsers.list(userId)).map((browser) => browser.userAgent),
      refusal: 'browser_not_found',
    },
    {
      what: 'token session',
      path: 'sessions',
      field: 'session',
      event: 'tokenSessionsRevoked',
      notices: ['The app was signed out.', '2 apps were signed out.'],
      add: async (user: { id: string }, agent: string) => (await app.sessions.issue(user.id, { amr: ['pwd'], aal: 1, userAgent: agent })).sessionId,
      agents: async (userId: string) => (await app.sessions.listSessions(userId)).map((session) => session.userAgent),
      refusal: 'session_not_found',
    },
  ] as const;

  it.each(revocations)('revokes one $what, then all of them; one $event event each, naming the administrator', async (kind) => {
    const { id: adminId, client } = await app.admin(`${kind.path}-admin`);
    const user = await app.user(`${kind.path}-user`);
    const ids = [];
    for (const agent of ['One/1', 'Two/2', 'Three/3']) ids.push(await kind.add(user, agent));
    expect((await act(client, user.id, `/${kind.path}/revoke`, { [kind.field]: ids[0]! })).status).toBe(303);
    expect(await page(client, `/users/${user.id}`)).toContain(kind.notices[0]);
    expect((await kind.agents(user.id)).sort()).toEqual(['Three/3', 'Two/2']);
    const again = await act(client, user.id, `/${kind.path}/revoke`, { [kind.field]: ids[0]! });
    expect([again.status, refusalOf(again.text)]).toEqual([404, kind.refusal]);
    expect((await act(client, user.id, `/${kind.path}/revoke-all`)).status).toBe(303);
    expect(await page(client, `/users/${user.id}`)).toContain(kind.notices[1]);
    expect(await kind.agents(user.id)).toEqual([]);
    expect((await app.audited(user.id, kind.event)).map(countedBy)).toEqual([
      { count: 2, actor: adminId, via: 'admin' },
      { count: 1, actor: adminId, via: 'admin' },
    ]);
  });

  it('issues a one-time backup code, shown once in a no-store answer, that signs the user in once and only once', async () => {
    const { id: adminId, client } = await app.admin('bootstrap-admin');
    const ivan = await app.user('ivan');
    await app.otp.removeDevice(ivan.id, ivan.device.persistentId);
    const issued = await act(client, ivan.id, '/backup-code');
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    const code = /<code class="secret" id="backup-code">([^<]+)<\/code>/.exec(issued.text)![1]!;
    expect(await page(client, `/users/${ivan.id}`)).not.toContain(code);
    const backupCode = await app.otp.devicesForUser(ivan.id);
    expect(await app.audited(ivan.id, 'backupCodeAdded')).toEqual([expect.objectContaining({ actor: adminId, via: 'admin', deviceId: backupCode[0]!.persistentId })]);
    expect(await app.audited(ivan.id, 'deviceAdded')).toEqual([expect.objectContaining({ actor: adminId, via: 'admin' }), expect.objectContaining({ actor: null })]);
    expect(JSON.stringify(await app.otp.auditEvents(ivan.id))).not.toContain(code);

    async function signIn(): Promise<number> {
      const user = new HttpClient(app.server.url);
      const login = await (await user.request('/account/login')).text();
      const password = await user.request('/account/login', { form: { _csrf: csrfOf(login), username: 'ivan', password: 'ivan-password', next: '/protected' } });
      expect(password.headers.get('location')).toMatch(/^\/account\/verify/);
      const verify = await (await user.request('/account/verify')).text();
      return (await user.request('/account/verify', { form: { _csrf: csrfOf(verify), otp_token: code, next: '/protected' } })).status;
    }
    expect(await signIn()).toBe(303);
    expect(await signIn()).toBe(400);
  });

  it('refuses every route, and any other path under it, to anyone who is not an administrator: 403 admin_forbidden, changing nothing', async () => {
    const routes = otpAdminRouter(app.otp, { authorize: () => null, tokenSessions: app.sessions }).stack.flatMap((layer) =>
      layer.route === undefined ? [] : Object.keys((layer.route as unknown as { methods: Record<string, boolean> }).methods).map((method) => ({ method, path: String(layer.route!.path) })),
    );
    expect(routes.length).toBeGreaterThanOrEqual(9);
    const target = await app.user('jane');
    await app.otp.browsers.remember(target.id, target.device.persistentId, { ttlSeconds: 3600 });
    const stranger = await app.user('stranger');
    const verified = new HttpClient(app.server.url);
    await app.verify(verified, stranger.id, stranger.device);
    // A CSRF token of the login views, valid in the session: the refusal is not the form's.
    const csrf = csrfOf(await (await verified.request('/account/verify')).text());
    const form = { _csrf: csrf, device: target.device.persistentId, browser: '1', session: 'x' };
    for (const client of [new HttpClient(app.server.url), verified]) {
      for (const { method, path } of [...routes, { method: 'get', path: '/no/such/page' }]) {
        const url = `${ADMIN}${path.replace(':userId', target.id)}`;
        const asPage = await client.request(url, { method: method.toUpperCase(), form: method === 'post' ? form : undefined, headers: { accept: 'text/html' } });
        expect([method, path, asPage.status, refusalOf(await asPage.text())]).toEqual([method, path, 403, 'admin_forbidden']);
        const asJson = await client.request(url, { method: method.toUpperCase(), form: method === 'post' ? form : undefined, headers: { accept: 'application/json' } });
        expect([method, path, asJson.status, await codeOf(asJson)]).toEqual([method, path, 403, 'admin_forbidden']);
      }
    }
    expect(await app.otp.devicesForUser(target.id)).toHaveLength(1);
    expect(await app.otp.browsers.list(target.id)).toHaveLength(1);
    expect((await app.otp.auditEvents(target.id)).filter((event) => event.via === 'admin')).toEqual([]);
  });

  it('asks an administrator to verify first: 403 verification_required with a link back, also on a remembered browser', async () => {
    const kim = await app.user('kim');
    app.admins.add(kim.id);
    const client = new HttpClient(app.server.url);
    await client.sendJson('/test/login', { userId: kim.id });
    const response = await client.request(`${ADMIN}/users/${kim.id}`);
    const html = await response.text();
    expect([response.status, refusalOf(html)]).toEqual([403, 'verification_required']);
    expect(html).toContain(`<a href="/account/verify?next=${encodeURIComponent(`${ADMIN}/users/${kim.id}`)}">Verify now</a>`);
    // Verified with "remember this browser", then a new session on that browser: remembered, not enough.
    const verify = await (await client.request('/account/verify')).text();
    const token = (await app.otp.deviceFromPersistentId<SequenceDevice>(kim.device.persistentId))!.currentToken();
    await client.request('/account/verify', { form: { _csrf: csrfOf(verify), otp_device: kim.device.persistentId, otp_token: token, remember: '1', next: '/' } });
    expect((await client.request(`${ADMIN}/`)).status).toBe(200);
    client.cookies.delete('otpkit.sid');
    await client.sendJson('/test/login', { userId: kim.id });
    expect((await client.getJson('/whoami')).body.verified).toBe(true);
    const remembered = await client.request(`${ADMIN}/`);
    expect([remembered.status, refusalOf(await remembered.text())]).toEqual([403, 'verification_required']);
  });

  it('with maxAge, asks for a recent verification (step-up)', async () => {
    const { client } = await app.admin('recent-admin');
    expect((await client.request('/admin/recent/')).status).toBe(200);
    fixture.clock.advanceSeconds(301);
    const stale = await client.request('/admin/recent/', { headers: { accept: 'application/json' } });
    expect([stale.status, await codeOf(stale)]).toEqual([403, 'recent_verification_required']);
  });

  it('refuses an action without its CSRF token (403 csrf_invalid) and changes nothing', async () => {
    const { client } = await app.admin('csrf-admin');
    const lena = await app.user('lena');
    await page(client, `/users/${lena.id}`);
    const response = await client.request(`${ADMIN}/users/${lena.id}/devices/remove`, { form: { device: lena.device.persistentId } });
    expect([response.status, refusalOf(await response.text())]).toEqual([403, 'csrf_invalid']);
    const forged = await client.request(`${ADMIN}/users/${lena.id}/devices/remove`, { form: { _csrf: 'forged', device: lena.device.persistentId } });
    expect(forged.status).toBe(403);
    expect(await app.otp.devicesForUser(lena.id)).toHaveLength(1);
  });

  it('answers bad input with a 4xx page, never a 500', async () => {
    const { client } = await app.admin('input-admin');
    const mia = await app.user('mia');
    const csrf = csrfOf(await page(client, `/users/${mia.id}`));
    const get = async (path: string) => {
      const response = await client.request(`${ADMIN}${path}`);
      return [response.status, refusalOf(await response.text())];
    };
    const post = async (path: string, form: Record<string, string>, extra = '') => {
      const response = await client.request(`${ADMIN}${path}`, { body: `${new URLSearchParams({ _csrf: csrf, ...form })}${extra}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      return [response.status, refusalOf(await response.text())];
    };
    expect(await get('/users/999999999')).toEqual([404, 'user_not_found']);
    expect(await get(`/users/${'9'.repeat(300)}`)).toEqual([404, 'user_not_found']);
    expect(await get(`/users/${mia.id}abc`)).toEqual([404, 'user_not_found']);
    expect(await get(`/users/%E0%A4%A`)).toEqual([400, 'invalid_request']);
    expect(await get(`/users/${mia.id}?before=abc`)).toEqual([400, 'invalid_request']);
    expect(await get(`/users/${mia.id}?before=1&before=2`)).toEqual([400, 'invalid_request']);
    expect(await get('/?q[]=mia')).toEqual([200, null]);
    expect(await get(`/?q=${'m'.repeat(300)}`)).toEqual([404, 'user_not_found']);
    expect(await get('/no/such/page')).toEqual([404, 'not_found']);
    expect(await post('/users/999999999/throttle/reset', {})).toEqual([404, 'user_not_found']);
    expect(await post(`/users/${mia.id}/devices/remove`, {})).toEqual([400, 'invalid_request']);
    expect(await post(`/users/${mia.id}/devices/remove`, { device: 'no-such-type/1' })).toEqual([404, 'device_not_found']);
    expect(await post(`/users/${mia.id}/devices/remove`, { device: 'x'.repeat(500) })).toEqual([400, 'invalid_request']);
    expect(await post(`/users/${mia.id}/browsers/revoke`, { browser: 'abc' })).toEqual([400, 'invalid_request']);
    expect(await post(`/users/${mia.id}/browsers/revoke`, { browser: '999999999' })).toEqual([404, 'browser_not_found']);
    expect(await post(`/users/${mia.id}/sessions/revoke`, { session: 'not-a-session' })).toEqual([404, 'session_not_found']);
    expect(await post(`/users/${mia.id}/devices/remove`, {}, `&device=${'x'.repeat(20_000)}`)).toEqual([413, 'payload_too_large']);
    expect(await app.otp.devicesForUser(mia.id)).toHaveLength(1);
  });

  it("speaks the request's language", async () => {
    const { client } = await app.admin('french-admin');
    const nina = await app.user('nina');
    const response = await client.request(`${ADMIN}/users/${nina.id}`, { headers: { 'accept-language': 'fr-FR,fr;q=0.9' } });
    const html = await response.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<h1>Double authentification : nina</h1>');
    expect(html).toContain('<th scope="col">Tentatives échouées</th>');
  });

  it('without a plugin that issues bootstrap codes, offers none: the page has no such button and the route is a 404', async () => {
    const otp = fixture.otp();
    const owen = await app.user('owen');
    const server = await startTestServer((test) => {
      test.use(otpMiddleware(otp));
      test.use('/admin', otpAdminRouter(otp, { authorize: () => 'root', requireVerification: false }));
    });
    try {
      const client = new HttpClient(server.url);
      const html = await (await client.request(`/admin/users/${owen.id}`)).text();
      expect(html).toContain('<h1>Two-factor: owen</h1>');
      expect(html).not.toContain('backup-code');
      const response = await client.request(`/admin/users/${owen.id}/backup-code`, { form: { _csrf: csrfOf(html) } });
      expect([response.status, refusalOf(await response.text())]).toEqual([404, 'not_found']);
    } finally {
      await server.close();
    }
  });

  it('fails, naming the fix, mounted at the root (it would guard every page) or when authorize returns something other than an id or null', async () => {
    const failures: unknown[] = [];
    const server = await startTestServer((test) => {
      test.use(otpMiddleware(app.otp));
      test.use('/boolean', otpAdminRouter(app.otp, { authorize: () => true as never, requireVerification: false }));
      test.use(otpAdminRouter(app.otp, { authorize: () => 'root', requireVerification: false }));
      test.use(((error, _req, res, _next) => {
        failures.push(error);
        res.status(500).end();
      }) as express.ErrorRequestHandler);
    });
    try {
      const client = new HttpClient(server.url);
      expect((await client.request('/boolean/')).status).toBe(500);
      expect((await client.request('/elsewhere')).status).toBe(500);
    } finally {
      await server.close();
    }
    expect(failures).toEqual([expect.any(ConfigurationError), expect.any(ConfigurationError)]);
    expect((failures[0] as Error).message).toMatch(/authorize must return the administrator's id .* it returned boolean/);
    expect((failures[1] as Error).message).toMatch(/must be mounted at a path of its own/);
  });
});
