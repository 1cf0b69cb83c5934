import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';

/** The demo's secrets: from the environment, else generated on first run and kept beside the database. */
export interface DemoKeys {
  readonly sessionSecret: string;
  /** 32 bytes as 64 hex digits. */
  readonly otpKey: string;
}

function demoKeys(file: string, env: Readonly<Record<string, string | undefined>>): DemoKeys {
  const keyFile = `${file}.keys.json`;
  if (!existsSync(keyFile)) {
    const fresh: DemoKeys = { sessionSecret: randomBytes(32).toString('hex'), otpKey: randomBytes(32).toString('hex') };
    writeFileSync(keyFile, JSON.stringify(fresh), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(keyFile, 'utf8')) as DemoKeys;
  return { sessionSecret: env.SESSION_SECRET || stored.sessionSecret, otpKey: env.OTP_KEY_1 || stored.otpKey };
}

/** Opens (creating on first run) the demo's SQLite file, and its keys. The app creates the schema. */
export async function openDemoDatabase(file: string, env: Readonly<Record<string, string | undefined>>): Promise<{ knex: Knex; keys: DemoKeys }> {
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
  return { knex, keys: demoKeys(file, env) };
}
