import { Socket } from 'node:net';

/** What {@link countRoundTrips} saw. */
export interface RoundTrips<T> {
  readonly result: T;
  /** Times a client wrote to a database socket after it had read from it (or first wrote): its waits for the server. */
  readonly roundTrips: number;
}

/**
 * Runs `work` and counts the database round trips it made, at the socket: a write that follows a
 * read on the same socket (or is its first write during `work`) starts a round trip; writes sent
 * together before any answer (a pipeline) are one. Driver-agnostic (node-postgres and mysql2 alike);
 * SQLite runs in-process and makes none. Counts every socket of the process: run nothing else meanwhile.
 */
export async function countRoundTrips<T>(work: () => Promise<T>): Promise<RoundTrips<T>> {
  const write = Socket.prototype.write;
  const answered = new WeakMap<Socket, boolean>();
  const listening: { socket: Socket; listener: () => void }[] = [];
  let roundTrips = 0;
  Socket.prototype.write = function countedWrite(this: Socket, ...args: unknown[]) {
    if (!answered.has(this)) {
      const listener = () => answered.set(this, true);
      this.on('data', listener);
      listening.push({ socket: this, listener });
    }
    if (answered.get(this) !== false) roundTrips += 1;
    answered.set(this, false);
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof write;
  try {
    return { result: await work(), roundTrips };
  } finally {
    Socket.prototype.write = write;
    for (const { socket, listener } of listening) socket.off('data', listener);
  }
}
