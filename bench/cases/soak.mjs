/**
 * The soak: the JSON validate endpoint (sessions in Redis, a successful HOTP verification on
 * PostgreSQL per request) held at 70 % of the capacity measured at the start of the same run, for
 * a long time. It must give no errors, a steady p99 (reported per window) and a flat resident set
 * size (the least-squares slope of the samples after the first fifth of the run, and of the last
 * half). The heap kept after a full garbage collection, sampled every 5 s, tells a leak from a
 * heap still growing to its working size, which a short run's RSS cannot.
 * @module
 */
import autocannon from 'autocannon';
import { createPostgresDatabase } from '../lib/databases.mjs';
import { seedHotpDevices, startServer, validateRequests } from '../lib/http-server.mjs';
import { benchSecretKeys } from '../lib/verify-bench.mjs';

const USERS = 10_000;
const CONNECTIONS = 8;
const CAPACITY_SECONDS = 10;
const LOAD_FRACTION = 0.7;
const MB = 1024 * 1024;

/**
 * The least-squares slope of `points` (`[x, y]` pairs).
 * @param {[number, number][]} points
 */
export function slope(points) {
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return covariance / variance;
}

/** Samples `read()` every `everyMs`, as `[seconds since start, value]`, until `stop()`. */
function sampler(read, everyMs) {
  const started = performance.now();
  const samples = [];
  const timer = setInterval(async () => {
    const at = (performance.now() - started) / 1000;
    samples.push([at, await read()]);
  }, everyMs);
  return {
    samples,
    stop: () => clearInterval(timer),
  };
}

/** Samples in MB to a tenth, at whole seconds. */
const inMb = (samples) => samples.map(([at, bytes]) => [Math.round(at), Math.round((bytes / MB) * 10) / 10]);

const failures = (result) => result.errors + result.timeouts + result.non2xx;

/**
 * @param {import('../lib/report.mjs').Report} report
 * @param {{ serverUrl: string, redisUrl: string, seconds: number }} options
 */
export async function soak(report, { serverUrl, redisUrl, seconds }) {
  const database = await createPostgresDatabase(serverUrl, { poolSize: 2 });
  const secretKeys = benchSecretKeys();
  let server;
  try {
    const { template, devices } = await seedHotpDevices(database, secretKeys, USERS);
    server = await startServer({
      OTPKIT_BENCH_DATABASE_URL: database.url,
      OTPKIT_BENCH_SECRET_KEY: secretKeys[1],
      OTPKIT_BENCH_SESSION_REDIS_URL: redisUrl,
      OTPKIT_BENCH_SESSION_PREFIX: `otpkit-bench-soak-${process.pid}:`,
    }, { exposeGc: true });
    const validate = validateRequests(devices, template);
    const run = (options) => autocannon({ url: server.url, connections: CONNECTIONS, requests: [validate], ...options });

    const capacity = await run({ duration: CAPACITY_SECONDS });
    const rate = Math.floor(capacity.requests.average * LOAD_FRACTION);
    report.add({ name: `capacity, POST /api/2fa/validate, ${CONNECTIONS} connections`, measure: 'req/s', value: capacity.requests.average, ratio: null, against: null });

    // Windows of a minute (a quarter of the run when it is shorter): each its own p99.
    const windowSeconds = Math.min(60, Math.max(1, Math.round(seconds / 4)));
    const memory = sampler(() => server.rss(), 1000);
    const heap = sampler(() => server.heapAfterGc(), 5000);
    const windows = [];
    for (let elapsed = 0; elapsed < seconds; elapsed += windowSeconds) {
      const result = await run({ duration: Math.min(windowSeconds, seconds - elapsed), overallRate: rate });
      windows.push({ fromSecond: elapsed, perSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, failures: failures(result) });
    }
    memory.stop();
    heap.stop();

    const mbPerMinute = (samples, from) => (slope(samples.filter(([at]) => at >= from)) * 60) / MB;
    const rssSlopeMbPerMinute = mbPerMinute(memory.samples, seconds / 5);
    const rssLastHalfSlopeMbPerMinute = mbPerMinute(memory.samples, seconds / 2);
    const heapSlopeMbPerMinute = mbPerMinute(heap.samples, seconds / 5);
    const p99s = windows.map((window) => window.p99Ms);
    const failed = windows.reduce((sum, window) => sum + window.failures, 0);
    const detail = {
      seconds,
      targetPerSecond: rate,
      windowSeconds,
      windows,
      rssMb: inMb(memory.samples),
      heapAfterGcMb: inMb(heap.samples),
    };
    report.add({ name: `soak at ${LOAD_FRACTION * 100} % of capacity, ${seconds} s`, measure: 'req/s', value: windows.reduce((sum, w) => sum + w.perSecond, 0) / windows.length, ratio: null, against: null, detail });
    report.add({ name: 'soak: failed requests', measure: 'requests', value: failed, ratio: null, against: null });
    report.add({ name: `soak: p99 per ${windowSeconds} s window, highest`, measure: 'ms', value: Math.max(...p99s), ratio: Math.max(...p99s) / Math.min(...p99s), against: 'the lowest window p99' });
    report.add({ name: 'soak: server RSS slope after warm-up', measure: 'MB/min', value: rssSlopeMbPerMinute, ratio: null, against: null });
    report.add({ name: 'soak: server RSS slope, last half', measure: 'MB/min', value: rssLastHalfSlopeMbPerMinute, ratio: null, against: null });
    report.add({ name: 'soak: server heap after GC, slope after warm-up', measure: 'MB/min', value: heapSlopeMbPerMinute, ratio: null, against: null });
    return { capacityPerSecond: capacity.requests.average, failed, rssSlopeMbPerMinute, rssLastHalfSlopeMbPerMinute, heapSlopeMbPerMinute, ...detail };
  } finally {
    await server?.stop();
    await database.destroy();
  }
}
