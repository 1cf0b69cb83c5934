import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Otp } from '@otpkit/core';
import { describeOnBackends } from '../../core/src/test-support/backend-fixture.js';
import { recordEvents } from '../../core/src/test-support/recorded-events.js';
import { ApiClient } from './test-support/api-client.js';
import { HttpClient } from './test-support/http-client.js';
import { csrfOf, startOtpApp } from './test-support/otp-app.js';
import type { TestServer } from './test-support/test-server.js';
import { lastPagedCode, pagers, printedList, type PagerMessage } from './test-support/third-party-plugins.js';
import { addUser, createUsersTable } from './test-support/users.js';

describeOnBackends('plugins otpkit does not know, over the JSON API and the login views', (fixture) => {
  const network: PagerMessage[] = [];
  let otp: Otp;
  let server: TestServer;
  const { events, hooks } = recordEvents();
  let users = 0;

  beforeAll(async () => {
    otp = fixture.otp({ devices: [printedList(), pagers(network)], events: hooks });
    await otp.migrate();
    await createUsersTable(fixture.database.knex);
    server = await startOtpApp(otp, fixture.database.knex, () => {}, {}, { rescue: { mode: 'email' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function newUser(): Promise<{ userId: number; username: string }> {
    users += 1;
    const username = `third-party-${users}`;
    return { userId: await addUser(fixture.database.knex, username, 'password'), username };
  }
  const session = (userId: number) => ApiClient.loggedIn(server.url, userId);
  const eventsOf = (userId: number) => events.filter((event) => event.userId === String(userId));

  /** Enrols a pager through the API and confirms it with the paged code; the session ends up verified. */
  async function enrolPager(client: ApiClient, pager: string): Promise<string> {
    const setup = await client.post('/devices/pager', { pager });
    expect(setup.status).toBe(201);
    expect((await client.post(`/devices/${setup.body.device.id}/confirm`, { token: lastPagedCode(network, pager) })).status).toBe(200);
    return setup.body.device.id;
  }

  it('enrols a printed list at POST /devices/printed: the sheet is shown once, its first line confirms it', async () => {
    const { userId } = await newUser();
    const client = await session(userId);
    const setup = await client.post('/devices/printed', { name: 'Wallet card', lines: 3 });
    expect(setup.status).toBe(201);
    expect(setup.body.device).toMatchObject({ type: 'printed', name: 'Wallet card', confirmed: false, interactive: false });
    expect(setup.body.sheet).toHaveLength(3);
    const [first, second] = setup.body.sheet as string[];
    const confirmed = await client.post(`/devices/${setup.body.device.id}/confirm`, { token: first });
    expect(confirmed.body.device).toMatchObject({ id: setup.body.device.id, confirmed: true });
    expect(await client.whoami()).toMatchObject({ verified: true, device: setup.body.device.id });
    const other = await session(userId);
    expect((await other.post('/validate', { token: second })).body).toMatchObject({ verified: true, device: { type: 'printed' } });
    const secret = first!.slice(1);
    expect(JSON.stringify((await client.get('/devices')).body)).not.toContain(secret);
    expect(eventsOf(userId).map((event) => event.type)).toEqual(['deviceAdded', 'deviceConfirmed', 'verified']);
    expect(JSON.stringify(eventsOf(userId))).not.toContain(secret);
  });

  it("takes only the fields a plugin lets users give, and answers the plugin's ValidationError with a 400", async () => {
    const client = await session((await newUser()).userId);
    const tooLong = await client.post('/devices/printed', { lines: 50 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ code: 'invalid_request', detail: 'lines must be an integer from 2 to 20' });
    expect((await client.post('/devices/printed', { secret: 'CHOSEN' })).body.error).toMatchObject({ code: 'invalid_request', detail: 'Invalid fields: secret' });
    expect((await client.post('/devices/pager', {})).body.error.detail).toBe('pager must be 4 to 8 digits');
    expect((await client.post('/devices/sequence')).body.error.code).toBe('not_found');
    expect((await client.get('/devices')).body.devices).toEqual([]);
  });

  it('enrols a pager, whose first code is paged; the login views offer it by name and page it a code', async () => {
    const { userId, username } = await newUser();
    const client = await session(userId);
    const setup = await client.post('/devices/pager', { pager: '4711', name: 'Beeper' });
    expect(setup.status).toBe(201);
    expect(setup.body).toMatchObject({ device: { type: 'pager', interactive: true, confirmed: false }, message: 'paged', validUntil: fixture.clock.now() + 300_000 });
    expect((await client.post(`/devices/${setup.body.device.id}/confirm`, { token: lastPagedCode(network, '4711') })).status).toBe(200);
    expect(eventsOf(userId).map((event) => event.type)).toEqual(['deviceAdded', 'challengeSent', 'deviceConfirmed']);

    fixture.clock.advanceSeconds(61);
    const browser = new HttpClient(server.url);
    const login = await (await browser.request('/account/login')).text();
    await browser.request('/account/login', { form: { _csrf: csrfOf(login), username, password: 'password' } });
    const page = await (await browser.request('/account/verify')).text();
    expect(page).toContain(`<input type="hidden" name="otp_device" value="${setup.body.device.id}">`);
    expect(page).toContain('Ask for a code first, then enter the code from Beeper.');
    expect(page).toContain('name="otp_challenge"');
    const sent = await browser.request('/account/verify', { form: { _csrf: csrfOf(page), otp_challenge: '1' } });
    expect(await sent.text()).toContain('OTP Challenge: paged');
    const verified = await browser.request('/account/verify', { form: { _csrf: csrfOf(page), otp_device: setup.body.device.id, otp_token: lastPagedCode(network, '4711') } });
    expect(verified.status).toBe(303);
    expect((await browser.getJson('/whoami')).body).toMatchObject({ verified: true, device: setup.body.device.id });
  });

  it('rescues through a pager its enrolment confirmed, and pages the notice there', async () => {
    const { userId } = await newUser();
    const pager = await enrolPager(await session(userId), '0815');
    fixture.clock.advanceSeconds(61);
    const client = await session(userId);
    const started = await client.post('/rescue');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ mode: 'email', device: { id: pager }, message: 'paged' });
    expect((await client.post('/rescue/verify', { token: lastPagedCode(network, '0815') })).status).toBe(200);
    expect(await client.whoami()).toMatchObject({ verified: true, device: pager });
    expect(network.at(-1)).toEqual({ to: '0815', text: expect.stringMatching(/^Account recovery was used: /) });
    expect((await client.post('/devices/printed')).body.error.code).toBe('recent_verification_required');
  });
});
