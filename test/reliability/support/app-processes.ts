/**
 * Processes of one application run as several on one database (`cluster-app.mjs`) and a private
 * Redis server that a test may stop and start again without touching the shared one.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** One running process of the application, at `url`. */
export interface AppProcess {
  readonly url: string;
  stop(): Promise<void>;
}

function startAppProcess(script: string, env: Record<string, string>): Promise<AppProcess> {
  const child = fork(script, [], { cwd: root, env: { ...process.env, ...env }, execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`an application process exited with ${code} before it listened`)));
    child.once('message', ({ port }: { port: number }) =>
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () => new Promise<void>((done) => (child.exitCode !== null ? done() : (child.once('exit', () => done()), child.send('stop')))),
      }),
    );
  });
}

/**
 * Starts `count` processes of the application `script` (a file path) with `env`: the first alone
 * (it creates the session table when sessions are in PostgreSQL), then the others together. Each
 * reports `{ port }` over IPC once it listens, and exits on `'stop'`.
 */
export async function startAppProcesses(script: string, count: number, env: Record<string, string>): Promise<AppProcess[]> {
  const first = await startAppProcess(script, env);
  const others = await Promise.all(Array.from({ length: count - 1 }, () => startAppProcess(script, env)));
  return [first, ...others];
}

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('data', (data) => (socket.destroy(), resolve(data.toString().startsWith('+PONG'))));
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

/** A `redis-server` of the test's own on a free port, without persistence; `stop` kills it as a crash would. */
export class PrivateRedis {
  readonly port: number;
  #server: ChildProcess | null = null;

  private constructor(port: number) {
    this.port = port;
  }

  /** Starts a server on a free port. */
  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on its port, resolving once it answers PING. */
  async restart(): Promise<void> {
    const server = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.#server = server;
    const exited = new Promise<never>((_, reject) => server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`))));
    for (let tries = 0; !(await Promise.race([answers(this.port), exited])); tries += 1) {
      if (tries === 100) throw new Error(`redis-server did not answer on port ${this.port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills the server (SIGKILL: no goodbye to its clients) and waits for it to be gone. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server === null || server.exitCode !== null || server.signalCode !== null) return;
    await new Promise((resolve) => (server.once('exit', resolve), server.kill('SIGKILL')));
  }
}
