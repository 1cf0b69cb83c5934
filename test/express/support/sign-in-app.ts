import { afterAll, beforeAll } from 'vitest';
import { tokenRequired, type TwoFactorApiOptions } from '@otpkit/express';
import type { SignIn } from '@otpkit/signin';
import { createTokenSessions, generateSigningKey, type TokenSessions } from '@otpkit/tokens';
import { ApiClient } from '../../../packages/express/src/test-support/api-client.js';
import { OpenApiChecker } from '../../../packages/express/src/test-support/openapi-checker.js';
import { startOtpApp } from '../../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../../packages/express/src/test-support/test-server.js';
import type { SignInFixture } from '../../../packages/signin/src/test-support/signin-fixture.js';

/** Checks every answer of the sign-in apps against docs/openapi.yaml and records which were seen. */
export const checker = new OpenApiChecker();

/** A page the API served: its status, headers and HTML. */
export interface Page {
  readonly status: number;
  readonly headers: Headers;
  readonly html: string;
}

let addresses = 0;

/** A sign-in app: the JSON API at /api/2fa with `signIn`, its server, and clients that each come from their own address. Its fields are set in `beforeAll`. */
export class SignInApp {
  signIn!: SignIn;
  /** The token sessions, when the app signs in with tokens. */
  sessions!: TokenSessions | null;
  server!: TestServer;
  readonly #fixture: SignInFixture;

  constructor(fixture: SignInFixture) {
    this.#fixture = fixture;
  }

  /** A browser of its own: a cookie jar, and a client address (`X-Forwarded-For`) no other client has. */
  client(): ApiClient {
    const client = new ApiClient(this.server.url, checker);
    addresses += 1;
    client.http.headers['x-forwarded-for'] = `198.51.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
    return client;
  }

  /** The newest magic link mailed to `email`, as the mail has it, once the deliveries are done. */
  async linkUrlTo(email: string): Promise<string> {
    await this.signIn.idle();
    const url = /http:\/\/[\d.:]+\/api\/2fa\/signin\/link\/[A-Za-z0-9_-]{43}/.exec(this.#fixture.smtp.lastTo(email).raw)?.[0];
    if (url === undefined) throw new Error(`no link in the message to ${email}`);
    return url;
  }

  /** The token of {@link SignInApp.linkUrlTo}. */
  async linkTo(email: string): Promise<string> {
    return (await this.linkUrlTo(email)).slice(-43);
  }

  /** Opens a magic link's page (`GET`), or confirms it (`POST` with the form's fields), as `client`. */
  async page(client: ApiClient, path: string, form?: Record<string, string>): Promise<Page> {
    const response = await client.http.request(`/api/2fa${path}`, form === undefined ? { headers: { accept: 'text/html' } } : { form, headers: { accept: 'text/html' } });
    const html = await response.text();
    checker.check(form === undefined ? 'GET' : 'POST', path, response.status, response.headers, response.status === 303 ? null : html);
    return { status: response.status, headers: response.headers, html };
  }
}

/**
 * The JSON API on the fixture's otp instance with a sign-in whose links (unless `links` is false)
 * point at the server (`/api/2fa/signin/link/<token>`); with `tokens`, token sessions in cookie mode (without `Secure`,
 * for plain HTTP) and `GET /tokens/me` behind `tokenRequired`, else sign-in logs the session in
 * (`GET /whoami`). Express trusts `X-Forwarded-For`, so that each client has an address of its own
 * for the sign-in's per-address limits.
 */
export function signInApp(fixture: SignInFixture, { tokens, links = true }: { tokens: boolean; links?: boolean }): SignInApp {
  const app = new SignInApp(fixture);
  let base = 'http://127.0.0.1';
  beforeAll(async () => {
    const signIn = fixture.signIn({ linkUrl: links ? (token) => `${base}/api/2fa/signin/link/${token}` : undefined });
    const sessions = tokens ? createTokenSessions(fixture.otp, { issuer: 'https://auth.example.test', audience: 'https://api.example.test', signingKeys: [generateSigningKey('EdDSA', 'k1')] }) : null;
    await sessions?.migrate();
    const api: TwoFactorApiOptions = sessions === null ? { signIn } : { signIn, tokenSessions: sessions, tokenTransport: 'cookie', tokenCookie: { secure: false } };
    const server = await startOtpApp(
      fixture.otp,
      fixture.otp.knex,
      (express) => {
        express.set('trust proxy', true);
        if (sessions !== null) express.get('/tokens/me', tokenRequired(sessions), (req, res) => void res.json({ token: req.token }));
      },
      {},
      api,
    );
    base = server.url;
    Object.assign(app, { signIn, sessions, server });
  });
  afterAll(async () => {
    await app.server?.close();
  });
  return app;
}
