import { ConfigurationError } from '@otpkit/core';
import connectPgSimple from 'connect-pg-simple';
import { RedisStore } from 'connect-redis';
import session, { type Store } from 'express-session';
import pg from 'pg';
import { createClient } from 'redis';

/** Where the demo keeps its sessions, and how to let go of it. */
export interface DemoSessionStore {
  /** The store for express-session; `undefined` means its MemoryStore (development only). */
  readonly store: Store | undefined;
  /** For the start-up line: `redis`, `postgres` or `memory`. */
  readonly kind: 'redis' | 'postgres' | 'memory';
  /** Closes the store's connections. */
  close(): Promise<void>;
}

const POSTGRES_URL = /^postgres(?:ql)?:\/\//;

/**
 * The session store the environment names: `REDIS_URL` (connect-redis), else a PostgreSQL
 * `SESSION_DATABASE_URL` or `DATABASE_URL` (connect-pg-simple, table `otpkit_demo_session`, created
 * when missing), else express-session's MemoryStore, which `NODE_ENV=production` refuses: it grows
 * without bound, loses every session on restart and cannot be shared by two instances.
 * @throws ConfigurationError in production without a store.
 */
export async function openSessionStore(env: Readonly<Record<string, string | undefined>>): Promise<DemoSessionStore> {
  if (env.REDIS_URL) {
    const client = createClient({ url: env.REDIS_URL });
    await client.connect();
    return { store: new RedisStore({ client, prefix: 'otpkit-demo:session:' }), kind: 'redis', close: () => client.close() };
  }
  const databaseUrl = [env.SESSION_DATABASE_URL, env.DATABASE_URL].find((url) => url !== undefined && POSTGRES_URL.test(url));
  if (databaseUrl !== undefined) {
    const pool = new pg.Pool({ connectionString: databaseUrl });
    const PgStore = connectPgSimple(session);
    const store = new PgStore({ pool, tableName: 'otpkit_demo_session', createTableIfMissing: true });
    return { store, kind: 'postgres', close: async () => (store.close(), await pool.end()) };
  }
  if (env.NODE_ENV === 'production') {
    throw new ConfigurationError(
      'NODE_ENV=production needs a shared session store, not MemoryStore: set REDIS_URL (redis://127.0.0.1:6379) or SESSION_DATABASE_URL (postgres://user@127.0.0.1:5432/db)',
    );
  }
  return { store: undefined, kind: 'memory', close: async () => {} };
}
