/**
 * Hands out seeded devices to load loops so that every verification uses a valid, unused token.
 *
 * All seeded devices share one secret, so one token per "pass" fits them all. Loop `i` owns the
 * devices `i, i + c, i + 2c, …`, so no two loops ever wait on each other's row locks; when every
 * loop has used each of its devices once, the pass ends, the pool's clock moves one time step
 * (30 s) forward, and the next token is valid for every device again.
 * @module
 */

/** Seconds the clock moves between passes: one TOTP time step. */
export const PASS_SECONDS = 30;

export class DevicePool {
  /** @param {number} startMs  the clock's time in the first pass */
  constructor(startMs) {
    /** @type {{ userId: string, persistentId: string }[]} the devices to hand out; set before a load run */
    this.devices = [];
    this.startMs = startMs;
    this.pass = 0;
    /** The clock to give `createOtp`: moves only between passes. */
    this.clock = () => this.startMs + this.pass * PASS_SECONDS * 1000;
  }

  /** Moves the clock to a time step after `ms` (a time another process's pool reached on the same devices). */
  moveBeyond(ms) {
    while (this.clock() <= ms) this.pass += 1;
  }

  /**
   * An operation for {@link runLoad} that gives each call of loop `loop` its next device and the
   * current pass, and runs `use` on them. Each call starts a fresh pass, so devices used by an
   * earlier load run are never reused with the same token.
   * @param {number} concurrency
   * @param {(device: { userId: string, persistentId: string }, pass: number) => Promise<boolean>} use
   * @returns {((loop: number) => Promise<boolean>) & { leave(loop: number): void }}
   */
  operations(concurrency, use) {
    const perLoop = Math.floor(this.devices.length / concurrency);
    if (perLoop === 0) throw new Error(`a pool of ${this.devices.length} devices cannot feed ${concurrency} loops`);
    this.pass += 1;
    const positions = new Array(concurrency).fill(0);
    let active = concurrency;
    let waiting = 0;
    let release = () => {};
    let barrier = null;
    const advance = () => {
      waiting = 0;
      barrier = null;
      this.pass += 1;
      positions.fill(0);
      release();
    };
    const arrive = () => {
      barrier ??= new Promise((resolve) => (release = resolve));
      const wait = barrier;
      waiting += 1;
      if (waiting === active) advance();
      return wait;
    };
    const operation = async (loop) => {
      if (positions[loop] === perLoop) await arrive();
      const device = this.devices[loop + positions[loop] * concurrency];
      positions[loop] += 1;
      return use(device, this.pass);
    };
    operation.leave = () => {
      active -= 1;
      if (waiting > 0 && waiting === active) advance();
    };
    return operation;
  }
}
