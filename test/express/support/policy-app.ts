import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { otpRequired, type TwoFactorPolicy } from '@otpkit/express';
import type { BackendFixture } from '../../../packages/core/src/test-support/backend-fixture.js';
import type { HttpClient } from '../../../packages/express/src/test-support/http-client.js';
import { csrfOf } from '../../../packages/express/src/test-support/otp-app.js';
import { addUser } from '../../../packages/express/src/test-support/users.js';
import { usePluginApp, type PluginApp } from './plugin-otp.js';

/** The plugin app with otpMiddleware's `policy`, and helpers to make users and sign them in. */
export interface PolicyApp {
  readonly app: PluginApp;
  /** How many times the policy's `require` was called. */
  readonly requireCalls: () => number;
  /** A new user (password `<username>-password`) whom the policy requires or not. */
  newUser(policy: 'required' | 'optional', address?: string | null): Promise<{ id: number; username: string }>;
  /** GET as a browser does (`Accept: text/html`). */
  page(client: HttpClient, path: string, headers?: Record<string, string>): Promise<Response>;
  /** Posts a form of `pageUrl` (its CSRF token read from the page) to `action`. */
  postForm(client: HttpClient, pageUrl: string, action: string, form: Record<string, string>): Promise<Response>;
  /** Signs in on the login page with the password; the answer is the redirect. */
  signIn(client: HttpClient, username: string, next: string): Promise<Response>;
}

/**
 * {@link usePluginApp} with `policy` (its `require` answers 'required' for the users made so) and
 * two JSON routes reporting `req.otp.policy()`: `/guarded` behind otpRequired and `/dashboard`
 * behind otpRequired with `ifConfigured`.
 */
export function usePolicyApp(fixture: BackendFixture, policy: Omit<TwoFactorPolicy, 'require'>): PolicyApp {
  const required = new Set<string>();
  let calls = 0;
  const app = usePluginApp(fixture, {
    middleware: {
      policy: {
        ...policy,
        require: (userId) => {
          calls += 1;
          return required.has(userId) ? 'required' : 'optional';
        },
      },
    },
    configure: (express) => {
      const answer = async (req: ExpressRequest, res: ExpressResponse) => void res.json({ verified: req.otp.isVerified(), policy: await req.otp.policy() });
      express.get('/guarded', otpRequired({ loginUrl: '/account/login' }), answer);
      express.get('/dashboard', otpRequired({ loginUrl: '/account/login', ifConfigured: true }), answer);
    },
  });
  let users = 0;
  const page = (client: HttpClient, path: string, headers: Record<string, string> = {}) => client.request(path, { headers: { accept: 'text/html', ...headers } });
  const postForm = async (client: HttpClient, pageUrl: string, action: string, form: Record<string, string>) => {
    const csrf = csrfOf(await (await page(client, pageUrl)).text());
    return client.request(action, { form: { _csrf: csrf, ...form } });
  };
  return {
    app,
    requireCalls: () => calls,
    page,
    postForm,
    async newUser(requirement, address = null) {
      users += 1;
      const username = `policy-user-${users}`;
      const id = await addUser(fixture.database.knex, username, `${username}-password`, address);
      if (requirement === 'required') required.add(String(id));
      return { id, username };
    },
    signIn: (client, username, next) => postForm(client, '/account/login', '/account/login', { username, password: `${username}-password`, next }),
  };
}
