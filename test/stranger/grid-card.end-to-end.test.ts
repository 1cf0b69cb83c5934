/**
 * The stranger plugin, with no change to any otpkit package: enrolled and verified over the JSON
 * API and the login views, listed and verified by the CLI, and audited, on every backend.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '@otpkit/cli';
import { workDir } from '../../packages/cli/src/test-support/run-bin.js';
import { recordEvents } from '../../packages/core/src/test-support/recorded-events.js';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf, startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable } from '../../packages/express/src/test-support/users.js';
import { describeOnBackends } from '../security/support/backends.js';
import { gridCard, type GridCardDevice, type GridCardPrint } from './grid-card.js';

const devices = [gridCard()];

describeOnBackends('a plugin otpkit does not know: the grid card', { devices }, (fixture) => {
  const { events, hooks } = recordEvents();
  const otp = () => fixture.otp({ devices, events: hooks, audit: true });
  let server: TestServer;
  let users = 0;

  beforeAll(async () => {
    await createUsersTable(fixture.database.knex);
    server = await startOtpApp(otp(), fixture.database.knex);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function newUser(): Promise<{ userId: number; username: string }> {
    users += 1;
    const username = `grid-card-${users}`;
    return { userId: await addUser(fixture.database.knex, username, 'password'), username };
  }
  /** The code the card's holder reads off the printed card for the cell asked for now. */
  async function answer(persistentId: string, card: GridCardPrint): Promise<string> {
    const device = await otp().deviceFromPersistentId<GridCardDevice>(persistentId);
    return card.cells[device!.askedCell!]!;
  }
  /** Enrols a card over the JSON API and confirms it with the cell its enrolment asked for. */
  async function enrolledCard(userId: number): Promise<{ id: string; card: GridCardPrint }> {
    const client = await ApiClient.loggedIn(server.url, userId);
    const setup = await client.post('/devices/gridcard', { name: 'Bank card' });
    expect(setup.status).toBe(201);
    const card = setup.body as unknown as GridCardPrint & { device: { id: string } };
    expect(setup.body.device).toMatchObject({ type: 'gridcard', name: 'Bank card', confirmed: false, interactive: true });
    expect(Object.keys(card.cells)).toHaveLength(25);
    expect(card.ask).toMatch(/^Type the code in cell [A-E][1-5] of card \d{10}$/);
    const confirmed = await client.post(`/devices/${card.device.id}/confirm`, { token: await answer(card.device.id, card) });
    expect(confirmed.status).toBe(200);
    expect(await client.whoami()).toMatchObject({ verified: true, device: card.device.id });
    return { id: card.device.id, card };
  }

  it('is enrolled over the JSON API (the card shown once, a cell confirming it) and verifies a later session', async () => {
    const { userId } = await newUser();
    const { id, card } = await enrolledCard(userId);
    const later = await ApiClient.loggedIn(server.url, userId);
    expect((await later.post('/challenge', { device: id })).body).toMatchObject({ message: expect.stringMatching(/^Type the code in cell/) });
    const verified = await later.post('/validate', { device: id, token: await answer(id, card) });
    expect(verified.body).toMatchObject({ verified: true, device: { id, type: 'gridcard' } });
    // Listed without a single code of the card.
    const listed = JSON.stringify((await later.get('/devices')).body);
    for (const code of Object.values(card.cells)) expect(listed).not.toContain(`"${code}"`);
  });

  it('is offered by the login views, asks for a cell, and verifies the session with its code', async () => {
    const { userId, username } = await newUser();
    const { id, card } = await enrolledCard(userId);
    fixture.clock.advanceSeconds(61);
    const browser = new HttpClient(server.url);
    const login = await (await browser.request('/account/login')).text();
    await browser.request('/account/login', { form: { _csrf: csrfOf(login), username, password: 'password' } });
    const page = await (await browser.request('/account/verify')).text();
    expect(page).toContain(`<input type="hidden" name="otp_device" value="${id}">`);
    expect(page).toContain('Ask for a code first, then enter the code from Bank card.');
    const asked = await browser.request('/account/verify', { form: { _csrf: csrfOf(page), otp_device: id, otp_challenge: '1' } });
    expect(await asked.text()).toMatch(/Type the code in cell [A-E][1-5]/);
    const verified = await browser.request('/account/verify', { form: { _csrf: csrfOf(page), otp_device: id, otp_token: await answer(id, card) } });
    expect(verified.status).toBe(303);
    expect((await browser.getJson('/whoami')).body).toMatchObject({ verified: true, device: id });
  });

  it('is audited: every change, whichever entry point made it, with no code of the card', async () => {
    const { userId } = await newUser();
    const { card } = await enrolledCard(userId);
    const rows = await otp().auditEvents(userId);
    expect(rows.map((row) => `${row.type} ${row.via}`).reverse()).toEqual(['deviceAdded api', 'challengeSent api', 'deviceConfirmed api']);
    const stored = JSON.stringify(rows) + JSON.stringify(events.filter((event) => event.userId === String(userId)));
    for (const code of Object.values(card.cells)) expect(stored).not.toContain(`"${code}"`);
  });

  it('is listed and verified by the CLI, from a configuration file naming the plugin', async () => {
    const { userId, username } = await newUser();
    const { id, card } = await enrolledCard(userId);
    // An app directory: the configuration module resolves knex and otpkit from its node_modules, as in an app.
    const app = workDir('repository');
    const cwd = app.path;
    const from = (path: string) => JSON.stringify(fileURLToPath(new URL(path, import.meta.url)));
    writeFileSync(
      join(cwd, 'otpkit.config.mjs'),
      [
        `import knexFactory from 'knex';`,
        `import { createOtp } from '@otpkit/core';`,
        `import { gridCard } from ${from('./grid-card.ts')};`,
        `export default () => createOtp({ knex: knexFactory(${JSON.stringify(fixture.database.config)}), devices: [gridCard()], audit: true });`,
      ].join('\n'),
    );
    const otpkit = async (...argv: string[]) => {
      let stdout = '';
      const code = await runCli([...argv, '--json'], { stdout: (text) => void (stdout += text), stderr: () => {}, env: {}, cwd });
      return { code, out: stdout === '' ? null : JSON.parse(stdout) };
    };
    try {
      const listed = await otpkit('devices', username);
      expect(listed.code).toBe(0);
      expect(listed.out).toEqual([expect.objectContaining({ persistentId: id, type: 'gridcard', name: 'Bank card', confirmed: true })]);
      fixture.clock.advanceSeconds(61);
      expect((await otpkit('challenge', id)).code).toBe(0);
      expect(await otpkit('verify', username, await answer(id, card))).toMatchObject({ code: 0, out: { verified: true } });
    } finally {
      app.remove();
    }
  });
});
