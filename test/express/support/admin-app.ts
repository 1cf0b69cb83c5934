import { afterAll, beforeAll, expect } from 'vitest';
import type { Express } from 'express';
import type { AuditEvent, Otp } from '@otpkit/core';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { createTokenSessions, generateSigningKey, type TokenSessions } from '@otpkit/tokens';
import type { BackendFixture } from '../../../packages/core/src/test-support/backend-fixture.js';
import { sequence, type SequenceDevice } from '../../../packages/core/src/test-support/sequence-device.js';
import { HttpClient } from '../../../packages/express/src/test-support/http-client.js';
import { csrfOf, startOtpApp } from '../../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable } from '../../../packages/express/src/test-support/users.js';

/** A test app for the admin pages on a fixture: sequence, TOTP and backup-code devices, the audit table on, token sessions, and who is an administrator. */
export interface AdminApp {
  readonly otp: Otp;
  readonly sessions: TokenSessions;
  readonly server: TestServer;
  /** The ids `isAdmin` accepts. */
  readonly admins: Set<string>;
  /** A new user with a password (`<name>-password`) and a confirmed sequence device named "Key". */
  user(name: string, email?: string | null): Promise<{ id: string; device: SequenceDevice }>;
  /** A new administrator, signed in on a new client and verified with a token (POST /account/verify). */
  admin(name: string): Promise<{ id: string; client: HttpClient }>;
  /** Signs `userId` in on `client` (password step skipped: POST /test/login) and verifies with `device`'s current token. */
  verify(client: HttpClient, userId: string, device: SequenceDevice): Promise<void>;
  /** The user's audit events of `type`. */
  audited(userId: string, type: AuditEvent['type']): Promise<AuditEvent[]>;
}

/** What `configure` may mount the admin pages with: the otp instance, the token sessions, and `isAdmin` over {@link AdminApp.admins}. */
export interface AdminMount {
  readonly otp: Otp;
  readonly tokenSessions: TokenSessions;
  readonly isAdmin: (userId: string) => Promise<boolean>;
}

/**
 * Starts an {@link AdminApp} before the block's tests and stops it after them: the test app
 * (otpMiddleware, login views at /account, POST /test/login) and what `configure` mounts on it
 * (the admin example's `mountAdminPages`, say).
 */
export function useAdminApp(fixture: BackendFixture, configure: (server: Express, mount: AdminMount) => void): AdminApp {
  const admins = new Set<string>();
  const app = { admins } as { -readonly [K in keyof AdminApp]: AdminApp[K] };
  beforeAll(async () => {
    const otp = fixture.otp({ devices: [sequence(1), totp({ issuer: 'otpkit-test' }), staticTokens()], audit: true });
    await otp.migrate();
    const sessions = createTokenSessions(otp, { issuer: 'https://auth.example.test', audience: 'https://api.example.test', signingKeys: [generateSigningKey('EdDSA', 'k1')] });
    await sessions.migrate();
    await createUsersTable(fixture.database.knex);
    app.otp = otp;
    app.sessions = sessions;
    app.server = await startOtpApp(otp, fixture.database.knex, (server) => configure(server, { otp, tokenSessions: sessions, isAdmin: async (id) => admins.has(id) }));
  });
  afterAll(async () => {
    await app.server?.close();
  });

  app.user = async (name, email = null) => {
    const id = String(await addUser(fixture.database.knex, name, `${name}-password`, email));
    const device = (await app.otp.createDevice('sequence', id, { confirmed: true, name: 'Key' })) as SequenceDevice;
    return { id, device };
  };
  app.verify = async (client, userId, device) => {
    expect((await client.sendJson('/test/login', { userId })).status).toBe(200);
    const page = await (await client.request('/account/verify')).text();
    const token = (await app.otp.deviceFromPersistentId<SequenceDevice>(device.persistentId))!.currentToken();
    const answer = await client.request('/account/verify', { form: { _csrf: csrfOf(page), otp_device: device.persistentId, otp_token: token, next: '/' } });
    expect(answer.status).toBe(303);
  };
  app.admin = async (name) => {
    const { id, device } = await app.user(name);
    admins.add(id);
    const client = new HttpClient(app.server.url);
    await app.verify(client, id, device);
    return { id, client };
  };
  app.audited = async (userId, type) => (await app.otp.auditEvents(userId, { limit: 1000 })).filter((event) => event.type === type);
  return app;
}
