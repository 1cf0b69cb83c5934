import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import session from 'express-session';
import knexFactory, { type Knex } from 'knex';
import { createDemoApp, type DemoOptions } from '../demo-app.js';

/** The demo app listening on 127.0.0.1, its parts, and how to stop it. */
export interface DemoServer {
  readonly url: string;
  readonly knex: Knex;
  readonly parts: Awaited<ReturnType<typeof createDemoApp>>;
  close(): Promise<void>;
}

/** The key material every in-process demo of a test shares (two instances must agree on it). */
export const TEST_DEMO_SECRETS = { sessionSecret: 'demo-test-session-secret-demo-test', secretKeys: { '1': '11'.repeat(32) } } as const;

/**
 * Starts the real demo app in this process on a free loopback port, on its own SQLite file (or
 * `file`, to share one between instances), with a MemoryStore unless `sessionStore` is given.
 */
export async function startDemoServer(options: Partial<DemoOptions> & { file?: string } = {}): Promise<DemoServer> {
  const dir = options.file === undefined ? mkdtempSync(join(tmpdir(), 'otpkit-demo-')) : null;
  const filename = options.file ?? join(dir!, 'demo.sqlite');
  const knex = options.knex ?? knexFactory({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
  const parts = await createDemoApp({ ...TEST_DEMO_SECRETS, sessionStore: new session.MemoryStore(), ...options, knex });
  const server = parts.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    knex,
    parts,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await knex.destroy();
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
    },
  };
}
