import knexFactory from 'knex';
import { createClient } from 'redis';
import { BACKEND_VARIABLES, skippedBackends } from '../packages/core/src/testing/backends.js';
import { EXTERNAL_TOOLS, missingTools } from './support/external-tools.js';

function summary(): string {
  const skipped = skippedBackends();
  const enabled = ['sqlite', ...(['postgres', 'mysql'] as const).filter((name) => !skipped.some((s) => s.name === name))];
  const lines = [`otpkit test databases: ${enabled.join(', ')}`];
  for (const { name, variable, example } of skipped) lines.push(`  skipped ${name}: set ${variable} (e.g. ${variable}=${example}) to run on it`);
  if (!process.env.OTPKIT_TEST_REDIS_URL) {
    lines.push('  skipped the shared-session tests on Redis: set OTPKIT_TEST_REDIS_URL (e.g. OTPKIT_TEST_REDIS_URL=redis://127.0.0.1:6379) to run them');
  }
  const missing = missingTools();
  if (missing.length > 0) {
    const packages = missing.map((tool) => EXTERNAL_TOOLS[tool].package).join(' ');
    lines.push(`  skipped the tests that need ${missing.join(', ')}: install them (apt-get install ${packages}) to run those`);
  }
  return lines.join('\n');
}

/** Fails fast, before any test, when an enabled database server is unreachable. */
async function checkReachable(): Promise<void> {
  const servers = [
    { client: 'pg', url: process.env[BACKEND_VARIABLES.postgres.variable] },
    { client: 'mysql2', url: process.env[BACKEND_VARIABLES.mysql.variable] },
  ];
  for (const { client, url } of servers) {
    if (!url) continue;
    const knex = knexFactory({ client, connection: url, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 10_000 });
    try {
      await knex.raw('SELECT 1');
    } catch (error) {
      throw new Error(`${client} database at ${url} is enabled but unreachable: ${(error as Error).message}`);
    } finally {
      await knex.destroy();
    }
  }
}

/** Fails fast when Redis is enabled (`OTPKIT_TEST_REDIS_URL`) but does not answer. */
async function checkRedis(): Promise<void> {
  const url = process.env.OTPKIT_TEST_REDIS_URL;
  if (!url) return;
  const client = createClient({ url, socket: { connectTimeout: 10_000, reconnectStrategy: false } });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`Redis at ${url} is enabled but unreachable: ${(error as Error).message}`);
  } finally {
    if (client.isOpen) await client.quit();
  }
}

/** In CI (`OTPKIT_TEST_REQUIRE_TOOLS=1`), a missing tool fails the run instead of skipping tests. */
function checkTools(): void {
  const missing = missingTools();
  if (process.env.OTPKIT_TEST_REQUIRE_TOOLS === '1' && missing.length > 0) {
    throw new Error(`OTPKIT_TEST_REQUIRE_TOOLS=1 but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed`);
  }
}

export async function setup(): Promise<void> {
  console.log(summary());
  checkTools();
  await checkReachable();
  await checkRedis();
}

export function teardown(): void {
  console.log(summary());
}
