import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { Otp } from '@otpkit/core';
import { staticTokens } from '@otpkit/static';
import express from 'express';
import { tokenRequired, tokenSender, type TwoFactorApiOptions } from '@otpkit/express';
import { createTokenSessions, generateSigningKey, type IssueOptions, type IssuedTokens, type TokenSessions } from '@otpkit/tokens';
import type { BackendFixture } from '../../../packages/core/src/test-support/backend-fixture.js';
import { ApiClient, type Answer } from '../../../packages/express/src/test-support/api-client.js';
import { OpenApiChecker } from '../../../packages/express/src/test-support/openapi-checker.js';
import { startOtpApp } from '../../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../../packages/express/src/test-support/test-server.js';

/** A two-factor sign-in, as a token session records it. */
export const TWO_FACTORS: IssueOptions = { amr: ['pwd', 'otp'], aal: 2 };
/** A password-only sign-in. */
export const ONE_FACTOR: IssueOptions = { amr: ['pwd'], aal: 1 };

/** The test app's token sessions, its server, what the middleware logged, and clients that send a bearer token. */
export interface TokenApp {
  /** The otp instance (backup codes only) the sessions run on. */
  readonly otp: Otp;
  readonly sessions: TokenSessions;
  readonly server: TestServer;
  readonly warnings: string[];
  /** Signs a new user in (`sessions.issue`), as a sign-in route would. */
  signIn(options?: IssueOptions): Promise<IssuedTokens & { userId: number }>;
  /** A client of the JSON API whose requests carry `Authorization: Bearer <accessToken>` (no cookie). */
  bearer(accessToken: string): BearerClient;
  /** A client of the JSON API with no credentials. */
  anonymous(): ApiClient;
  /** A new user signed in through the app's own sign-in route (`tokenSender`), as a browser: the client keeps the cookies it set. */
  browser(options?: IssueOptions): Promise<{ client: ApiClient; answer: Answer; userId: number }>;
}

/** Sends JSON API requests with a bearer access token, each answer checked against docs/openapi.yaml. */
export interface BearerClient {
  get(path: string): Promise<Answer>;
  post(path: string, json?: unknown): Promise<Answer>;
  delete(path: string): Promise<Answer>;
}

/** Checks every answer of the token apps against docs/openapi.yaml and records which were seen. */
export const checker = new OpenApiChecker();

/**
 * Token sessions on the fixture's database with a server: the JSON API at /api/2fa with
 * `tokenSessions`, `/tokens/me` behind `tokenRequired(sessions)`, `/tokens/revocable` behind it
 * with `checkRevoked`, `/tokens/strong` with `aal: 2`, `/tokens/recent` with `maxAge: 300`, and
 * `POST /test/tokens/sign-in` (`{ userId, amr, aal }`), a sign-in route of the app's own that
 * answers through `tokenSender` with the API's transport.
 */
export function tokenApp(fixture: BackendFixture, api: TwoFactorApiOptions = {}): TokenApp {
  let sessions: TokenSessions | undefined;
  let instance: Otp | undefined;
  let server: TestServer | undefined;
  const warnings: string[] = [];
  let users = 0;
  beforeAll(async () => {
    const otp = fixture.otp({ devices: [staticTokens()], secretKeys: { '1': randomBytes(32).toString('hex') } });
    instance = otp;
    await otp.migrate();
    const made = createTokenSessions(otp, { issuer: 'https://auth.example.test', audience: 'https://api.example.test', signingKeys: [generateSigningKey('EdDSA', 'k1')] });
    await made.migrate();
    sessions = made;
    server = await startOtpApp(
      otp,
      fixture.database.knex,
      (app) => {
        const claims = (req: { token?: object }, res: { json(body: unknown): void }) => res.json({ token: req.token });
        app.get('/tokens/me', tokenRequired(made), claims);
        app.get('/tokens/revocable', tokenRequired(made, { checkRevoked: true }), claims);
        app.get('/tokens/strong', tokenRequired(made, { aal: 2 }), claims);
        app.get('/tokens/recent', tokenRequired(made, { maxAge: 300 }), claims);
        const sendTokens = tokenSender({ tokenSessions: made, tokenTransport: api.tokenTransport ?? 'body', tokenCookie: { path: '/api/2fa/tokens', ...api.tokenCookie } });
        app.post('/test/tokens/sign-in', express.json(), async (req, res) => {
          const { userId, ...signIn } = req.body;
          sendTokens(req, res, await made.issue(userId, signIn));
        });
      },
      { logger: { warn: (message) => void warnings.push(message) } },
      { tokenSessions: made, ...api },
    );
  });
  afterAll(async () => {
    await server?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the token app is made in beforeAll');
    return value;
  };
  return {
    get otp() {
      return ready(instance);
    },
    get sessions() {
      return ready(sessions);
    },
    get server() {
      return ready(server);
    },
    warnings,
    async signIn(options = TWO_FACTORS) {
      const userId = ++users;
      return { userId, ...(await ready(sessions).issue(userId, options)) };
    },
    bearer(accessToken) {
      const client = new ApiClient(ready(server).url, checker);
      const authorization = { authorization: `Bearer ${accessToken}` };
      return {
        get: (path) => client.send('GET', path, undefined, { headers: authorization }),
        post: (path, json = {}) => client.send('POST', path, json, { headers: authorization }),
        delete: (path) => client.send('DELETE', path, undefined, { headers: authorization }),
      };
    },
    anonymous: () => new ApiClient(ready(server).url, checker),
    async browser(options = TWO_FACTORS) {
      const userId = ++users;
      const client = new ApiClient(ready(server).url, checker);
      const response = await client.http.request('/test/tokens/sign-in', { json: { userId, ...options } });
      return { client, userId, answer: { status: response.status, body: await response.json(), headers: response.headers } };
    },
  };
}
