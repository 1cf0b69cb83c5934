import { expect, it } from 'vitest';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { OpenApiChecker } from '../../packages/express/src/test-support/openapi-checker.js';
import { usePluginApp } from './support/plugin-otp.js';
import { addUser } from '../../packages/express/src/test-support/users.js';

const checker = new OpenApiChecker();

describeOnBackends('twoFactorApi refusals', (fixture) => {
  const app = usePluginApp(fixture);
  let users = 0;

  async function newUser(): Promise<{ id: number; client: ApiClient; address: string }> {
    users += 1;
    const id = await addUser(fixture.database.knex, `refusals-${users}`, 'password', null);
    return { id, client: await ApiClient.loggedIn(app.server.url, id, checker), address: `refusals-${users}@otpkit.test` };
  }

  it('answers 400 malformed_token on /validate (one device or all) and on confirm, with no failure count, spending no budget', async () => {
    const { id, client, address } = await newUser();
    const pending = await app.otp.createDevice('email', id, { email: address });
    const malformedConfirm = await client.post(`/devices/${pending.persistentId}/confirm`, { token: '12;34' });
    expect(malformedConfirm.status).toBe(400);
    expect(malformedConfirm.body.error).toEqual({ code: 'malformed_token', message: expect.any(String) });
    expect((await client.post('/challenge', { device: pending.persistentId })).status).toBe(404); // not confirmed yet
    await app.otp.generateChallenge(id, pending.persistentId);
    expect((await client.post(`/devices/${pending.persistentId}/confirm`, { token: app.smtp.lastTokenTo(address) })).status).toBe(200);

    const other = await ApiClient.loggedIn(app.server.url, id, checker);
    for (const body of [{ device: pending.persistentId, token: 'not a code!' }, { token: '#'.repeat(100) }]) {
      const malformed = await other.post('/validate', body);
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get('retry-after')).toBeNull();
      expect(malformed.body.error).toEqual({ code: 'malformed_token', message: expect.any(String) });
    }
    const failed = app.events.filter((event) => event.userId === String(id) && event.type === 'failed');
    expect(failed).toHaveLength(3);
    for (const event of failed) expect(event).not.toHaveProperty('failureCount');

    // The budget was never charged: the first well-formed miss is the first failure.
    const wrong = await other.post('/validate', { device: pending.persistentId, token: '00000000' });
    expect(wrong.body.error).toMatchObject({ code: 'invalid_token', failureCount: 1 });
  });

  it('reports a cooldown as 429 cooldown with its own Retry-After, never as throttled, even while the user is throttled', async () => {
    const { id, client, address } = await newUser();
    const inbox = await app.otp.createDevice('email', id, { email: address, confirmed: true });
    const sentAt = fixture.clock.now();
    expect((await client.post('/challenge', { device: inbox.persistentId })).status).toBe(200);
    const code = app.smtp.lastTokenTo(address);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await client.post('/validate', { device: inbox.persistentId, token: wrong })).body.error).toMatchObject({ code: 'invalid_token', failureCount: 1 });
    expect((await client.post('/validate', { device: inbox.persistentId, token: wrong })).body.error.code).toBe('throttled');

    fixture.clock.advanceSeconds(10);
    const cooling = await client.post('/challenge', { device: inbox.persistentId });
    expect(cooling.status).toBe(429);
    expect(cooling.headers.get('retry-after')).toBe(String((sentAt + 60_000 - fixture.clock.now()) / 1000));
    expect(cooling.body.error).toEqual({ code: 'cooldown', message: expect.any(String), retryAfter: 50 });

    // The cooldown limits sending only: once the guessing budget allows, the code sent verifies.
    fixture.clock.advanceSeconds(10);
    const verified = await client.post('/validate', { device: inbox.persistentId, token: code });
    expect(verified.status).toBe(200);
  });
});
