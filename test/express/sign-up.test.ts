import { expect, it } from 'vitest';
import { otpLoginRouter, otpRequired } from '@otpkit/express';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf } from '../../packages/express/src/test-support/otp-app.js';
import { addUser, passwordAuthenticator } from '../../packages/express/src/test-support/users.js';
import { usePluginApp } from './support/plugin-otp.js';

describeOnBackends('sign-up on the login views', (fixture) => {
  const created: string[] = [];
  const app = usePluginApp(fixture, {
    middleware: { policy: { require: () => 'required', graceDays: 7 } },
    configure: (express) => {
      express.use(
        '/join',
        otpLoginRouter(app.otp, {
          authenticate: passwordAuthenticator(fixture.database.knex),
          signUp: async (username, password) => {
            created.push(username);
            if (username === 'taken') return { refused: 'username_taken' };
            return addUser(fixture.database.knex, username, password);
          },
        }),
      );
      express.get('/members', otpRequired({ loginUrl: '/join/login' }), (req, res) => void res.json({ userId: req.otp.userId }));
    },
  });
  const form = async (client: HttpClient, fields: Readonly<Record<string, string | readonly string[]>>) => {
    const page = await (await client.request('/join/signup?next=%2Fmembers', { headers: { accept: 'text/html' } })).text();
    const body = new URLSearchParams({ _csrf: csrfOf(page), next: '/members' });
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
    return client.request('/join/signup', { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, method: 'POST' });
  };

  it('signs a new user in with a new session id and sends them to enrol first (no session fixation)', async () => {
    const client = new HttpClient(app.server.url);
    const login = await (await client.request('/join/login', { headers: { accept: 'text/html' } })).text();
    expect(login).toContain('href="/join/signup?next=%2F"');
    const planted = 'planted-session-id';
    client.cookies.set('otpkit.sid', planted);
    const answer = await form(client, { username: `newcomer-${fixture.backend.name}`, password: 'long enough' });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/join/enrol?next=%2Fmembers');
    expect(client.sessionId).not.toBe(planted);
    // Within the grace period the required user may go on; the page is theirs.
    const protectedPage = await client.getJson('/members');
    expect(protectedPage.status).toBe(200);
    expect(protectedPage.body.userId).not.toBeNull();
  });

  it('sign-up cross-site request forgery: a form without the cookie-bound token creates no account', async () => {
    const before = created.length;
    const client = new HttpClient(app.server.url);
    const answer = await client.request('/join/signup', { form: { username: 'forged', password: 'long enough' } });
    expect(answer.status).toBe(403);
    expect(created).toHaveLength(before);
  });

  it('refuses a short password, a taken or unprintable username and repeated fields with 400, asking the application only for the taken one', async () => {
    const before = created.length;
    const client = new HttpClient(app.server.url);
    for (const [fields, code] of [
      [{ username: 'shortpass', password: 'short' }, 'password_too_short'],
      [{ username: 'taken', password: 'long enough' }, 'username_taken'],
      [{ username: 'bell\u0007', password: 'long enough' }, 'username_invalid'],
      [{ username: ['one', 'two'], password: 'long enough' }, 'username_invalid'],
      [{ username: 'x'.repeat(151), password: 'long enough' }, 'username_invalid'],
    ] as const) {
      const answer = await form(client, fields);
      expect(answer.status).toBe(400);
      expect(await answer.text()).toContain(`data-code="${code}"`);
    }
    expect(created.slice(before)).toEqual(['taken']);
    expect((await client.getJson('/members')).status).toBe(401);
  });
});
