/**
 * A PgBouncer of the test's own in transaction mode, on a free loopback port, in front of a
 * PostgreSQL server: each transaction may run on another server connection, as behind a pooler in
 * production. As root it runs as `postgres` (PgBouncer refuses root).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './private-postgres.js';

export class PrivatePgBouncer {
  readonly port: number;
  readonly #base: string;
  readonly #process: ChildProcess;

  private constructor(base: string, port: number, child: ChildProcess) {
    this.#base = base;
    this.port = port;
    this.#process = child;
  }

  /**
   * Starts PgBouncer in transaction mode with `serverConnections` server connections per database,
   * forwarding every database to `server` (host and port) as user postgres; resolves once it listens.
   */
  static async start(server: { host: string; port: number }, serverConnections: number): Promise<PrivatePgBouncer> {
    const base = mkdtempSync(join(tmpdir(), 'otpkit-pgbouncer-'));
    const port = await freePort();
    const log = join(base, 'pgbouncer.log');
    const config = join(base, 'pgbouncer.ini');
    writeFileSync(
      config,
      [
        '[databases]',
        `* = host=${server.host} port=${server.port} user=postgres`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        'unix_socket_dir =',
        'auth_type = any',
        'pool_mode = transaction',
        `default_pool_size = ${serverConnections}`,
        `logfile = ${log}`,
        'ignore_startup_parameters = extra_float_digits,options',
        '',
      ].join('\n'),
    );
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      const { uid, gid } = statSync('/var/lib/postgresql');
      chownSync(base, uid, gid);
      chownSync(config, uid, gid);
    }
    const [command, args] = asRoot ? ['runuser', ['-u', 'postgres', '--', '/usr/sbin/pgbouncer', config]] : ['/usr/sbin/pgbouncer', [config]];
    const child = spawn(command, args, { stdio: 'ignore' });
    const bouncer = new PrivatePgBouncer(base, port, child);
    for (let tries = 0; tries < 200; tries += 1) {
      if (readLog(log).includes(`listening on 127.0.0.1:${port}`)) return bouncer;
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await bouncer.stop();
    throw new Error(`PgBouncer did not start: ${readLog(log)}`);
  }

  /** Stops PgBouncer and removes its directory. */
  async stop(): Promise<void> {
    if (this.#process.exitCode === null) {
      const exited = new Promise((resolve) => this.#process.once('exit', resolve));
      this.#process.kill('SIGTERM');
      await exited;
    }
    rmSync(this.#base, { recursive: true, force: true });
  }
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
