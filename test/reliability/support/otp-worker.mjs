/**
 * A worker process for the cross-process tests: its own knex pool and otpkit instance over the
 * built packages, driven over IPC by {@link WorkerGroup}.
 *
 * Messages (each answered with `{ id, result }` or `{ id, error }`):
 * - `{ command: 'open', knex, plugins, guessThrottleFactor, poolSize }`: (re)opens knex and otpkit;
 *   `plugins` is a spec for {@link buildPlugins}; fills the pool so the first burst is not slowed
 *   by connecting.
 * - `{ command: 'burst', now, count, method, args }`: starts `count` concurrent calls of
 *   `otp[method](...args)` at once, with the clock at `now`; answers with each call's outcome:
 *   `'ok'`, `'refused'` (a non-ok outcome) or the error code.
 * - `{ command: 'close' }`: closes knex and exits.
 * @module
 */
import knexFactory from 'knex';
import { createOtp } from '@otpkit/core';
import { buildPlugins } from './plugins.mjs';

let knex = null;
let otp = null;
let now = 0;

async function close() {
  await knex?.destroy();
  knex = null;
  otp = null;
}

const commands = {
  async open({ knex: config, plugins, guessThrottleFactor, poolSize }) {
    await close();
    const pool = config.client === 'better-sqlite3' ? { min: 1, max: 1 } : { min: 0, max: poolSize };
    knex = knexFactory({ ...config, pool });
    otp = createOtp({
      knex,
      devices: buildPlugins(plugins),
      clock: () => now,
      guessThrottle: { factor: guessThrottleFactor },
      logger: { warn: () => {} },
    });
    await Promise.all(Array.from({ length: pool.max }, () => knex.raw('SELECT 1')));
    return 'open';
  },

  async burst({ now: at, count, method, args }) {
    now = at;
    const calls = Array.from({ length: count }, () =>
      otp[method](...args).then(
        (outcome) => (outcome.ok ? 'ok' : 'refused'),
        (error) => error.code ?? 'ERR_UNKNOWN',
      ),
    );
    return Promise.all(calls);
  },

  async close() {
    await close();
    setImmediate(() => process.exit(0));
    return 'closed';
  },
};

process.on('message', async ({ id, command, ...input }) => {
  try {
    process.send({ id, result: await commands[command](input) });
  } catch (error) {
    process.send({ id, error: `${error.name}: ${error.message}` });
  }
});
process.send({ ready: true });
