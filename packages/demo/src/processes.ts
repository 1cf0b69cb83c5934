import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { ConfigurationError } from '@otpkit/core';

const MAX_PROCESSES = 64;

/**
 * How many processes `DEMO_PROCESSES` asks for: 1 when unset, one per core for `max`.
 * @throws ConfigurationError for anything but a whole number from 1 to 64 or `max`.
 */
export function processCount(value: string | undefined): number {
  if (value === undefined || value === '') return 1;
  if (value === 'max') return availableParallelism();
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > MAX_PROCESSES) {
    throw new ConfigurationError(`DEMO_PROCESSES must be a whole number from 1 to ${MAX_PROCESSES}, or max (one process per core); got ${JSON.stringify(value)}`);
  }
  return count;
}

/** Tells the primary that this worker has set up and serves (see {@link startWorkers}). */
export function reportReady(): void {
  if (cluster.isWorker) process.send!(READY);
}

const READY = 'otpkit-demo:ready';

/**
 * Runs `count` copies of this script as `node:cluster` workers sharing one port, each started once
 * the one before it serves ({@link reportReady}), so that the first creates the schema and the keys
 * alone. A worker that dies later is replaced; SIGINT and SIGTERM stop them all, even while they start.
 * @throws Error when a worker exits before it serves (its own message is on stderr); the others are stopped.
 */
// #region workers
export async function startWorkers(count: number): Promise<void> {
  let stopping = false;
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const ready = (worker: ReturnType<typeof cluster.fork>) =>
    new Promise<void>((resolve, reject) => {
      worker.on('message', (message) => message === READY && resolve());
      worker.once('exit', (code) => reject(new Error(`a worker exited with ${code} before it served`)));
    });
  try {
    for (let started = 0; started < count && !stopping; started += 1) await ready(cluster.fork());
  } catch (error) {
    if (stopping) return; // stopped while starting: the workers were told to go
    stop();
    throw error;
  }
  cluster.on('exit', () => {
    if (!stopping) cluster.fork();
  });
}
// #endregion
