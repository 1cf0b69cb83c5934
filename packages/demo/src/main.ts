/**
 * The otpkit demo: `npm start` at the repository root serves it on http://localhost:3000.
 * PORT changes the port, DEMO_DB the SQLite file (default ./otpkit-demo.sqlite in this package),
 * SMTP_URL sends mail through SMTP instead of the /outbox page, DEMO_ORIGIN is the origin browsers
 * see (passkeys are bound to its host; default http://localhost:PORT), SESSION_SECRET and OTP_KEY_1 set
 * the session and sealing keys (otherwise generated once and kept next to the database).
 * Sessions live in memory unless REDIS_URL or a PostgreSQL SESSION_DATABASE_URL (or DATABASE_URL)
 * names a store; NODE_ENV=production refuses to start without one, and without SMTP_URL.
 * DEMO_ADMINS lists the usernames (comma-separated) that may use the admin pages at /admin/2fa.
 * DEMO_PROCESSES runs that many processes on the port (node:cluster; `max`: one per core), which
 * needs a shared session store and SMTP_URL.
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDemoApp } from './demo-app.js';
import { openDemoDatabase } from './demo-database.js';
import { processCount, reportReady, startWorkers } from './processes.js';
import { openSessionStore } from './session-store.js';

const env = process.env;
try {
  // The /outbox page shows a signed-in user their mail, login codes included, to any session that
  // knows the password: fine on a developer's machine, a bypass of the email factor anywhere else.
  if (env.NODE_ENV === 'production' && !env.SMTP_URL) {
    throw new Error('NODE_ENV=production needs SMTP_URL: the development outbox would show login codes to anyone with the password');
  }
  const processes = processCount(env.DEMO_PROCESSES);
  const sessions = await openSessionStore(env);
  if (processes > 1 && cluster.isPrimary) {
    await sessions.close();
    if (sessions.kind === 'memory') {
      throw new Error(`DEMO_PROCESSES=${processes} needs a shared session store: set REDIS_URL (redis://127.0.0.1:6379) or SESSION_DATABASE_URL (postgres://user@127.0.0.1:5432/db)`);
    }
    if (!env.SMTP_URL) {
      throw new Error(`DEMO_PROCESSES=${processes} needs SMTP_URL: the development outbox is kept by each process, so a code mailed by one would not show on /outbox served by another`);
    }
    await startWorkers(processes);
    console.log(`otpkit demo: ${processes} processes on one port (sessions in ${sessions.kind})`);
  } else {
    await serve(sessions);
  }
} catch (error) {
  console.error(`otpkit demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}

/** One process of the demo: opens the database and serves the app on PORT. */
async function serve(sessions: Awaited<ReturnType<typeof openSessionStore>>): Promise<void> {
  const file = resolve(env.DEMO_DB ?? fileURLToPath(new URL('../otpkit-demo.sqlite', import.meta.url)));
  const { knex, keys } = await openDemoDatabase(file, env);
  // Listen first: passkeys are bound to the origin, whose port may be chosen by the system (PORT=0).
  const server = createServer();
  await new Promise<void>((done) => server.listen(Number(env.PORT ?? 3000), done));
  const { port } = server.address() as AddressInfo;
  const origin = env.DEMO_ORIGIN ?? `http://localhost:${port}`;
  const { app } = await createDemoApp({ knex, sessionSecret: keys.sessionSecret, secretKeys: { '1': keys.otpKey }, smtpUrl: env.SMTP_URL || undefined, sessionStore: sessions.store, origin, admins: (env.DEMO_ADMINS ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '') });
  server.on('request', app);
  console.log(`otpkit demo on http://localhost:${port} (database ${file}; sessions in ${sessions.kind}; mail ${env.SMTP_URL ? 'via SMTP_URL' : 'to /outbox'})`);
  // A worker's channel to the primary would keep it alive: let go of it last.
  const stop = () => server.close(() => void Promise.all([knex.destroy(), sessions.close()]).then(() => cluster.worker?.disconnect()));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  reportReady();
}
