import { staticTokens } from '@otpkit/static';
import { expect, it } from 'vitest';
import { HttpClient } from '../../packages/express/src/test-support/http-client.js';
import { csrfOf, startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import { createUsersTable } from '../../packages/express/src/test-support/users.js';
import { describeOnBackends } from './support/backends.js';

const devices = [staticTokens()];

// Every anonymous GET of the login page saved a session holding csrf-sync's token: bots could grow
// the session store (15 kB each on MemoryStore) without ever logging in.
describeOnBackends('the login form needs no session', { devices }, (fixture) => {
  it('anonymous login page views create no session', async () => {
    const app = await startOtpApp(fixture.otp({ devices }), fixture.database.knex);
    try {
      for (let view = 0; view < 30; view++) {
        const visitor = new HttpClient(app.url);
        for (const path of ['/account/login', '/one/login', '/account/login?next=%2Fprotected']) {
          const response = await visitor.request(path);
          expect(response.status).toBe(200);
          expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith('otpkit.sid='))).toBe(false);
        }
        expect(visitor.sessionId).toBeUndefined();
      }
    } finally {
      await app.close();
    }
  });

  it("a login post without the form's cookie, or with another browser's, is refused", async () => {
    await createUsersTable(fixture.database.knex);
    const app = await startOtpApp(fixture.otp({ devices }), fixture.database.knex);
    try {
      const victim = new HttpClient(app.url);
      const attacker = new HttpClient(app.url);
      const token = csrfOf(await (await attacker.request('/account/login')).text());
      expect((await victim.request('/account/login', { form: { _csrf: token, username: 'mallory', password: 'x' } })).status).toBe(403);
      await victim.request('/account/login');
      expect((await victim.request('/account/login', { form: { _csrf: token, username: 'mallory', password: 'x' } })).status).toBe(403);
      expect(victim.sessionId).toBeUndefined();
      const own = csrfOf(await (await victim.request('/account/login')).text());
      expect((await victim.request('/account/login', { form: { _csrf: own, username: 'mallory', password: 'x' } })).status).toBe(400); // the form's answer: a wrong password
    } finally {
      await app.close();
    }
  });
});
