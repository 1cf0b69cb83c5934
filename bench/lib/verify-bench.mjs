/**
 * One benchmark database with many devices of one kind, and the two things measured on it:
 * otpkit's `verifyToken` and the ceiling transaction (the same work done with the bare driver),
 * both driven by the same {@link DevicePool}.
 * @module
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createOtp } from '@otpkit/core';
import { DevicePool, PASS_SECONDS } from './device-pool.mjs';
import { tokenSource } from './kinds.mjs';
import { runPaired } from './load.mjs';
import { cloneDevice, sampleDevices, seedingOtp } from './seed.mjs';

/** Devices the load loops cycle through. */
const ACTIVE_DEVICES = 10_000;

/** A secret key, so the benchmark pays for sealed secrets as production does. */
export function benchSecretKeys() {
  return { 1: randomBytes(32).toString('base64') };
}

/** The start of the current time step: passes then move the clock a whole step at a time. */
function alignedNow() {
  const step = PASS_SECONDS * 1000;
  return Math.floor(Date.now() / step) * step;
}

const quiet = { warn: () => {} };

export class VerifyBench {
  /**
   * Fills `database` with `devices` copies of one device of `kind`.
   * `otherPlugins` are configured after the kind's plugin (for `matchToken`).
   * @param {{ database: { knex: import('knex').Knex, destroy(): Promise<void> }, kind: import('./kinds.mjs').BenchKind, devices: number,
   *   otherPlugins?: import('@otpkit/core').DevicePlugin[],
   *   ceiling: (knex: import('knex').Knex, table: string) => Promise<{ run(id: number, now: number): Promise<boolean>, close(): Promise<void> }> }} options
   */
  static async create({ database, kind, devices, otherPlugins = [], ceiling }) {
    try {
      const pool = new DevicePool(alignedNow());
      const plugins = [kind.plugin(), ...otherPlugins];
      const secretKeys = benchSecretKeys();
      const otp = createOtp({
        knex: database.knex,
        devices: plugins,
        clock: pool.clock,
        secretKeys,
        guessThrottle: { factor: 0 },
        logger: quiet,
      });
      await otp.migrate();
      const seeding = seedingOtp(otp, plugins);
      const template = await seeding.createDevice(kind.type, 'bench-0', { confirmed: true });
      const bench = new VerifyBench(database, otp, kind, pool, template, seeding);
      bench.secretKey = secretKeys[1];
      await bench.grow(devices);
      bench.ceiling = await ceiling(database.knex, kind.table);
      return bench;
    } catch (error) {
      await database.destroy();
      throw error;
    }
  }

  constructor(database, otp, kind, pool, template, seeding) {
    this.database = database;
    this.otp = otp;
    /** The keyless twin of `otp` that makes templates (see `seed.mjs`). */
    this.seeding = seeding;
    this.kind = kind;
    this.pool = pool;
    this.template = template;
    this.devices = 0;
    this.token = tokenSource(kind, template);
  }

  /** Adds copies until the table holds `total` of them, and samples the active devices anew. */
  async grow(total) {
    await cloneDevice(this.database.knex, { table: this.kind.table, templateId: this.template.id, from: this.devices + 1, to: total });
    await this.otp.rotateSecrets();
    this.devices = total;
    this.pool.devices = await sampleDevices(this.database.knex, { table: this.kind.table, type: this.kind.type, limit: ACTIVE_DEVICES });
  }

  /** A load operation: `verifyToken` with a valid token, each call on a device not used in this pass. */
  verifyOperation(concurrency) {
    return this.pool.operations(concurrency, async (device) => {
      const token = this.token(this.pool.clock());
      return (await this.otp.verifyToken(device.userId, device.persistentId, token)) !== null;
    });
  }

  /** A load operation: the ceiling transaction on the same devices. */
  ceilingOperation(concurrency) {
    return this.pool.operations(concurrency, (device) =>
      this.ceiling.run(Number(device.persistentId.split('/')[1]), this.pool.clock()),
    );
  }

  /**
   * `count` processes (forked `verify-process.mjs`) that verify, each at `concurrency` on its own
   * share of the active devices. Each `run(durationMs)` runs them at once and resolves the summed
   * throughput and every process's load result; this process's clock then moves past theirs.
   */
  async processes({ count, concurrency }) {
    const script = fileURLToPath(new URL('./verify-process.mjs', import.meta.url));
    const env = { ...process.env, OTPKIT_BENCH_DATABASE_URL: this.database.url, OTPKIT_BENCH_SECRET_KEY: this.secretKey };
    const children = Array.from({ length: count }, () => fork(script, [], { env }));
    const share = Math.floor(this.pool.devices.length / count);
    await Promise.all(
      children.map((child, index) => {
        child.send({ template: this.template.persistentId, devices: this.pool.devices.slice(index * share, (index + 1) * share), concurrency });
        return once(child, 'message');
      }),
    );
    return {
      run: async (durationMs) => {
        const startMs = this.pool.clock() + PASS_SECONDS * 1000;
        const finished = children.map((child) => once(child, 'message').then(([message]) => message));
        for (const child of children) child.send({ startMs, durationMs });
        const results = await Promise.all(finished);
        this.pool.moveBeyond(Math.max(...results.map(({ endMs }) => endMs)));
        const failures = results.reduce((sum, { result }) => sum + result.failures, 0);
        if (failures > 0) throw new Error(`${failures} verifications failed across ${count} processes`);
        return { perSecond: results.reduce((sum, { result }) => sum + result.perSecond, 0), results: results.map(({ result }) => result) };
      },
      async stop() {
        const running = children.filter((child) => child.exitCode === null);
        const exited = running.map((child) => once(child, 'exit'));
        for (const child of running) child.send('stop');
        await Promise.all(exited);
      },
    };
  }

  /** `verifyToken` against the ceiling, in alternating rounds. */
  compare(concurrency, timing) {
    return runPaired({
      concurrency,
      ...timing,
      reference: () => this.ceilingOperation(concurrency),
      subject: () => this.verifyOperation(concurrency),
    });
  }

  async destroy() {
    await this.ceiling?.close();
    await this.database.destroy();
  }
}
