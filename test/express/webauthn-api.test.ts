import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Otp } from '@otpkit/core';
import { staticTokens } from '@otpkit/static';
import { PasskeySignIn, webauthn } from '@otpkit/webauthn';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { OpenApiChecker } from '../../packages/express/src/test-support/openapi-checker.js';
import { startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable } from '../../packages/express/src/test-support/users.js';
import { SoftAuthenticator } from '../../packages/webauthn/src/test-support/soft-authenticator.js';

const checker = new OpenApiChecker();
const plugins = () => [webauthn({ rpName: 'Acme', rpID: 'acme.example', origins: 'https://acme.example' }), staticTokens()] as const;

describeOnBackends('WebAuthn over the JSON API', (fixture) => {
  let otp: Otp;
  let server: TestServer;
  let users = 0;

  beforeAll(async () => {
    otp = fixture.otp({ devices: plugins() });
    await otp.migrate();
    await createUsersTable(fixture.database.knex);
    server = await startOtpApp(otp, fixture.database.knex, undefined, {}, { passkeySignIn: new PasskeySignIn(otp) });
  });
  afterAll(async () => {
    await server?.close();
  });

  const newUser = async () => addUser(fixture.database.knex, `webauthn-user-${++users}`, 'password');
  const session = (userId: number) => ApiClient.loggedIn(server.url, userId, checker);

  /** Registers a credential of `authenticator` through the API in `client`'s session; returns the device id. */
  async function register(client: ApiClient, authenticator: SoftAuthenticator): Promise<string> {
    const enrolled = await client.post('/devices/webauthn', { name: 'Laptop' });
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.publicKey.rp).toEqual({ name: 'Acme', id: 'acme.example' });
    const confirmed = await client.post(`/devices/${enrolled.body.device.id}/confirm`, { token: authenticator.register(enrolled.body.publicKey) });
    expect(confirmed.status).toBe(200);
    return enrolled.body.device.id;
  }

  it('registers a passkey through the API, verifies the session with it, and lists its authenticator', async () => {
    const userId = await newUser();
    const client = await session(userId);
    const authenticator = new SoftAuthenticator();
    const id = await register(client, authenticator);
    expect(await client.whoami()).toEqual({ userId: String(userId), verified: true, device: id });
    const listed = await client.get('/devices');
    expect(listed.body.devices).toEqual([expect.objectContaining({ id, type: 'webauthn', confirmed: true, interactive: true, details: { authenticator: 'YubiKey 5 Series', passkey: true, backedUp: false } })]);

    const later = await session(userId);
    const challenge = await later.post('/challenge', { device: id });
    expect(challenge.status).toBe(200);
    expect(challenge.body.request.allowCredentials).toEqual([expect.objectContaining({ id: expect.any(String), type: 'public-key' })]);
    const validated = await later.post('/validate', { device: id, token: authenticator.assert(challenge.body.request) });
    expect(validated.status).toBe(200);
    expect(await later.whoami()).toMatchObject({ verified: true, device: id });
  });

  it('assertion replayed in another session: refused, and the session that asked can still use it', async () => {
    const userId = await newUser();
    const authenticator = new SoftAuthenticator();
    const id = await register(await session(userId), authenticator);
    const victim = await session(userId);
    const attacker = await session(userId);
    const assertion = authenticator.assert((await victim.post('/challenge', { device: id })).body.request);
    const stolen = await attacker.post('/validate', { device: id, token: assertion });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.code).toBe('invalid_token');
    expect(await attacker.whoami()).toMatchObject({ verified: false });
    expect((await victim.post('/validate', { device: id, token: assertion })).status).toBe(200);
    expect((await victim.post('/validate', { device: id, token: assertion })).body.error.code).toBe('invalid_token');
  });

  it('registration answered in another session: refused', async () => {
    const userId = await newUser();
    const owner = await session(userId);
    const other = await session(userId);
    const enrolled = await owner.post('/devices/webauthn', {});
    const response = new SoftAuthenticator().register(enrolled.body.publicKey);
    const refused = await other.post(`/devices/${enrolled.body.device.id}/confirm`, { token: response });
    expect(refused.status).toBe(400);
    expect((await owner.post(`/devices/${enrolled.body.device.id}/confirm`, { token: response })).status).toBe(200);
  });

  it('matches an assertion without naming the device (/validate with the token only)', async () => {
    const userId = await newUser();
    const authenticator = new SoftAuthenticator();
    const id = await register(await session(userId), authenticator);
    const client = await session(userId);
    const assertion = authenticator.assert((await client.post('/challenge', { device: id })).body.request);
    const validated = await client.post('/validate', { token: assertion });
    expect(validated.status).toBe(200);
    expect(validated.body.device.id).toBe(id);
  });

  it('signs an anonymous session in with a passkey, both factors at once (method passkey, user verified)', async () => {
    const userId = await newUser();
    const authenticator = new SoftAuthenticator();
    const id = await register(await session(userId), authenticator);
    const anonymous = new ApiClient(server.url, checker);
    const options = await anonymous.post('/passkey/options');
    expect(options.status).toBe(200);
    expect(options.body.request).toMatchObject({ rpId: 'acme.example', allowCredentials: [], userVerification: 'required' });
    const signedIn = await anonymous.post('/passkey/verify', { credential: authenticator.assert(options.body.request) });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ verified: true, userId: String(userId), userVerified: true, device: { id } });
    expect(await anonymous.whoami()).toEqual({ userId: String(userId), verified: true, device: id });
  });

  it('passkey sign-in refusals are one uniform 400 invalid_token: replay, another session, unknown credential', async () => {
    const userId = await newUser();
    const authenticator = new SoftAuthenticator();
    await register(await session(userId), authenticator);
    const first = new ApiClient(server.url, checker);
    const assertion = authenticator.assert((await first.post('/passkey/options')).body.request);
    const elsewhere = new ApiClient(server.url, checker);
    await elsewhere.post('/passkey/options');
    const answers = [await elsewhere.post('/passkey/verify', { credential: assertion })];
    expect((await first.post('/passkey/verify', { credential: assertion })).status).toBe(200);
    answers.push(await first.post('/passkey/verify', { credential: assertion }));
    const stranger = new ApiClient(server.url, checker);
    const unknown = authenticator.assert((await stranger.post('/passkey/options')).body.request);
    answers.push(await stranger.post('/passkey/verify', { credential: { ...unknown, id: 'AAAA', rawId: 'AAAA' } }));
    for (const answer of answers) expect([answer.status, answer.body.error.code]).toEqual([400, 'invalid_token']);
    expect((await elsewhere.whoami()).userId).toBeNull();
  });

  it('serves the browser script from the login views with a JavaScript type, nosniff, and a CSP that allows only this site', async () => {
    const response = await fetch(`${server.url}/account/assets/webauthn.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('export async function getCredential');
    expect((await fetch(`${server.url}/account/assets/static.js`)).status).toBe(404);
    const login = await fetch(`${server.url}/account/login`);
    expect(login.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await login.text()).not.toMatch(/<script(?![^>]*\ssrc=)/);
  });

  it('exercises every documented success answer of passkey sign-in', () => {
    const passkeyRoutes = checker.documented().filter((entry) => entry.includes(' /passkey/') && /\s2\d\d$/.test(entry));
    expect(passkeyRoutes).toEqual(['POST /passkey/options 200', 'POST /passkey/verify 200']);
    expect(passkeyRoutes.filter((entry) => !checker.seen.has(entry))).toEqual([]);
  });
});
