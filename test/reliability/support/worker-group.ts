/**
 * Worker processes (`otp-worker.mjs`) for the cross-process tests: each has its own connection
 * pool and otpkit instance, as separate application servers would.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const workerScript = fileURLToPath(new URL('./otp-worker.mjs', import.meta.url));

/**
 * The packages that processes started by a test import (by default those the workers import),
 * built to `dist` with what they depend on (incremental: quick when nothing changed).
 */
export function buildWorkerPackages(names: readonly string[] = ['core', 'totp', 'hotp', 'static', 'email', 'sms']): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const projects = names.map((name) => `packages/${name}`);
  try {
    execFileSync(process.execPath, [tsc, '-b', ...projects], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    const output = String((error as { stdout?: Buffer }).stdout ?? '');
    throw new Error(`building the packages the worker processes import failed:\n${output}`, { cause: error });
  }
}

/** What a worker's otpkit instance is configured with. */
export interface WorkerSetup {
  readonly knex: Knex.Config;
  readonly plugins: { readonly types?: readonly string[]; readonly throttleFactor: number };
  readonly guessThrottleFactor: number;
  /** Connections per worker. */
  readonly poolSize: number;
}

/** One call's outcome in a worker: `'ok'`, `'refused'` (a non-ok outcome) or an error code. */
export type CallOutcome = string;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

class Worker {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  readonly ready: Promise<void>;
  #next = 0;

  constructor() {
    this.#child = fork(workerScript, [], { cwd: root, execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.ready = new Promise((resolve, reject) => {
      this.#child.once('error', reject);
      this.#child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
      this.#child.on('message', (message: { ready?: true; id?: number; result?: unknown; error?: string }) => {
        if (message.ready) return resolve();
        const pending = this.#pending.get(message.id!);
        this.#pending.delete(message.id!);
        if (message.error !== undefined) pending?.reject(new Error(message.error));
        else pending?.resolve(message.result);
      });
    });
  }

  call<T>(command: string, input: object): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ id, command, ...input });
    });
  }

  kill(): void {
    this.#child.kill();
  }
}

/** A group of worker processes that open one database together and fire bursts of calls at once. */
export class WorkerGroup {
  readonly #workers: Worker[];

  private constructor(workers: Worker[]) {
    this.#workers = workers;
  }

  /** Starts `size` worker processes. */
  static async start(size: number): Promise<WorkerGroup> {
    const workers = Array.from({ length: size }, () => new Worker());
    await Promise.all(workers.map((worker) => worker.ready));
    return new WorkerGroup(workers);
  }

  /** (Re)configures every worker's knex and otpkit instance. */
  async open(setup: WorkerSetup): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.call('open', setup)));
  }

  /**
   * Has every worker start `perWorker` concurrent calls of `otp[method](...args)` at the same time,
   * with its clock at `now`; returns all the outcomes.
   */
  async burst(options: { now: number; perWorker: number; method: 'verify' | 'match'; args: unknown[] }): Promise<CallOutcome[]> {
    const { now, perWorker, method, args } = options;
    const results = await Promise.all(
      this.#workers.map((worker) => worker.call<CallOutcome[]>('burst', { now, count: perWorker, method, args })),
    );
    return results.flat();
  }

  /** Closes every worker's pool and ends the processes. */
  async stop(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.call('close', {}).catch(() => worker.kill())));
  }
}
