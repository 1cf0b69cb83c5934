/**
 * A private PostgreSQL cluster for the tests that stop, restart or replicate a server: made by
 * `initdb` in a temporary directory, listening on a free loopback port, never the shared server on
 * 5432. Run as root (CI), the server runs as the `postgres` user (`runuser`); run as anyone else,
 * as that user. Durability is off (`fsync`, `full_page_writes`), so a cluster starts in about a second.
 * @module
 */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import knexFactory, { type Knex } from 'knex';

const run = promisify(execFile);

/** The newest installed PostgreSQL's programs (`/usr/lib/postgresql/<major>/bin`), or `null`. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length === 0 ? null : join(root, majors[0]!, 'bin');
}

/** The settings that make a throw-away cluster quick and replicable. */
const SETTINGS = [
  "listen_addresses = '127.0.0.1'",
  'fsync = off',
  'full_page_writes = off',
  'shared_buffers = 16MB',
  'max_connections = 40',
  'wal_level = replica',
  'max_wal_senders = 4',
  'hot_standby = on',
];

/** One private PostgreSQL server (a primary or a streaming replica) and its data directory. */
export class PrivatePostgres {
  readonly port: number;
  readonly #base: string;
  readonly #bin: string;
  readonly #owner: { uid: number; gid: number } | null;
  #running = false;

  private constructor(base: string, bin: string, port: number, owner: { uid: number; gid: number } | null) {
    this.#base = base;
    this.#bin = bin;
    this.port = port;
    this.#owner = owner;
  }

  /** A new, running primary with an empty database `test`. */
  static async start(): Promise<PrivatePostgres> {
    const server = await PrivatePostgres.#prepare();
    await server.#as('initdb', ['-D', server.#data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
    await server.#configure(SETTINGS);
    await server.startServer();
    await server.sql('CREATE DATABASE test');
    return server;
  }

  /** The connection URL of one of its databases. */
  url(database = 'test'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /**
   * A knex pool on one of its databases; the caller destroys it. Its warnings (each connection
   * refused while the server is down) are dropped: the tests that stop a server assert what callers see.
   */
  knex(database = 'test', pool: Knex.PoolConfig = { min: 0, max: 4 }): Knex {
    const ignore = () => {};
    return knexFactory({ client: 'pg', connection: this.url(database), pool, log: { warn: ignore, error: ignore, debug: ignore, deprecate: ignore } });
  }

  /** Runs one statement on a short-lived connection; returns its rows. */
  async sql<R = Record<string, unknown>>(text: string, database = 'postgres'): Promise<R[]> {
    const knex = this.knex(database, { min: 0, max: 1 });
    try {
      return ((await knex.raw(text)) as { rows: R[] }).rows;
    } finally {
      await knex.destroy();
    }
  }

  /** Starts the server and waits until it accepts connections. */
  async startServer(): Promise<void> {
    await this.#as('pg_ctl', ['-D', this.#data, '-l', join(this.#base, 'server.log'), '-w', '-t', '60', 'start']);
    this.#running = true;
  }

  /**
   * Stops the server the way `pg_ctl restart -m fast` does (sessions are ended, transactions rolled
   * back); {@link startServer} completes the restart, after as long an outage as a test needs.
   */
  async stopServer(): Promise<void> {
    await this.#as('pg_ctl', ['-D', this.#data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    this.#running = false;
  }

  /**
   * A streaming replica of this primary (`pg_basebackup -R`) on its own port, running and
   * readable (hot standby).
   */
  async basebackup(): Promise<PrivatePostgres> {
    const replica = await PrivatePostgres.#prepare();
    await replica.#as('pg_basebackup', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-D', replica.#data, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync']);
    await replica.#configure([]);
    await replica.startServer();
    return replica;
  }

  /** A replica: stops applying the WAL it receives, so its reads lag the primary until {@link resumeReplay}. */
  async pauseReplay(): Promise<void> {
    await this.sql('SELECT pg_wal_replay_pause()');
  }

  /** A replica: applies the WAL again. */
  async resumeReplay(): Promise<void> {
    await this.sql('SELECT pg_wal_replay_resume()');
  }

  /** A replica: waits until it has applied everything `primary` had written when called. */
  async catchUp(primary: PrivatePostgres): Promise<void> {
    const { lsn } = (await primary.sql<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn'))[0]!;
    for (let tries = 0; tries < 600; tries += 1) {
      const { behind } = (await this.sql<{ behind: boolean }>(`SELECT pg_last_wal_replay_lsn() < '${lsn}'::pg_lsn AS behind`))[0]!;
      if (!behind) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the replica on port ${this.port} did not catch up with ${lsn}`);
  }

  /** Stops the server (if running) and deletes its directory. */
  async destroy(): Promise<void> {
    if (this.#running) await this.#as('pg_ctl', ['-D', this.#data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    this.#running = false;
    rmSync(this.#base, { recursive: true, force: true });
  }

  get #data(): string {
    return join(this.#base, 'data');
  }

  static async #prepare(): Promise<PrivatePostgres> {
    const bin = postgresBinDir();
    if (bin === null) throw new Error('PostgreSQL server programs not found under /usr/lib/postgresql (apt-get install postgresql)');
    const base = mkdtempSync(join(tmpdir(), 'otpkit-pg-'));
    // As root, the server runs as `postgres`, which must own the directory.
    let owner: { uid: number; gid: number } | null = null;
    if (process.getuid?.() === 0) {
      const { uid, gid } = statSync('/var/lib/postgresql');
      chownSync(base, uid, gid);
      owner = { uid, gid };
    }
    const server = new PrivatePostgres(base, bin, await freePort(), owner);
    stopAtExit.add(server);
    return server;
  }

  /** Appends settings and this server's port and socket directory to its configuration. */
  async #configure(settings: readonly string[]): Promise<void> {
    const file = join(this.#data, 'postgresql.auto.conf');
    await appendFile(file, [...settings, `port = ${this.port}`, `unix_socket_directories = '${this.#base}'`, ''].join('\n'));
    if (this.#owner !== null) chownSync(file, this.#owner.uid, this.#owner.gid);
  }

  /** Runs one of PostgreSQL's programs, as `postgres` when we are root. */
  async #as(program: string, args: readonly string[]): Promise<void> {
    const path = join(this.#bin, program);
    const [command, argv] = this.#owner === null ? [path, args] : ['runuser', ['-u', 'postgres', '--', path, ...args]];
    await run(command, [...argv], { cwd: this.#base, env: { ...process.env, PGPORT: String(this.port) } });
  }

  /** Stops the server at once, synchronously: for a test process that exits without its `afterAll`. */
  killNow(): void {
    if (!this.#running) return;
    const path = join(this.#bin, 'pg_ctl');
    const args = ['-D', this.#data, '-m', 'immediate', 'stop'];
    if (this.#owner === null) spawnSync(path, args);
    else spawnSync('runuser', ['-u', 'postgres', '--', path, ...args]);
    rmSync(this.#base, { recursive: true, force: true });
  }
}

/** Servers left running when the process exits are stopped then, so no test leaves one behind. */
const stopAtExit = new Set<PrivatePostgres>();
process.once('exit', () => {
  for (const server of stopAtExit) server.killNow();
});

/** A TCP port nothing listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
