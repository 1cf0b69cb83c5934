/**
 * Closed-loop load: `concurrency` loops each await `operation(loop)` back to back, first for a
 * warm-up, then for the measured duration. An operation resolves `true` when it did what it was
 * meant to (a valid token verified); anything else is counted as a failure, so a benchmark never
 * reports the speed of a path that silently stopped working.
 * @module
 */

/**
 * @typedef {object} LoadResult
 * @property {number} concurrency
 * @property {number} operations   completed in the measured window
 * @property {number} failures     operations that resolved something other than `true`
 * @property {number} perSecond    operations per second
 * @property {number} meanMs
 * @property {number} p50Ms
 * @property {number} p99Ms
 */

function percentile(sorted, fraction) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/**
 * Runs the load and measures it.
 * @param {{ concurrency: number, durationMs: number, warmupMs?: number, operation: ((loop: number) => Promise<boolean>) & { leave?(loop: number): void } }} options
 * @returns {Promise<LoadResult>}
 */
export async function runLoad({ concurrency, durationMs, warmupMs = 500, operation }) {
  const latencies = [];
  let failures = 0;
  let measuring = false;
  const warmupEnd = performance.now() + warmupMs;
  const end = warmupEnd + durationMs;
  let measuredStart = warmupEnd;
  let measuredEnd = end;

  async function loop(index) {
    for (;;) {
      const started = performance.now();
      if (started >= end) {
        operation.leave?.(index);
        return;
      }
      if (!measuring && started >= warmupEnd) {
        measuring = true;
        measuredStart = started;
      }
      const counted = measuring;
      const ok = await operation(index);
      const finished = performance.now();
      if (!counted) continue;
      latencies.push(finished - started);
      if (ok !== true) failures += 1;
      measuredEnd = Math.max(measuredEnd, finished);
    }
  }

  await Promise.all(Array.from({ length: concurrency }, (_, index) => loop(index)));
  latencies.sort((a, b) => a - b);
  const seconds = (measuredEnd - measuredStart) / 1000;
  const total = latencies.reduce((sum, value) => sum + value, 0);
  return {
    concurrency,
    operations: latencies.length,
    failures,
    perSecond: latencies.length / seconds,
    meanMs: total / latencies.length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

/** The median of `values`. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One load result from several rounds: totals summed, latencies as the median of the rounds'. */
function combine(rounds) {
  const operations = rounds.reduce((sum, round) => sum + round.operations, 0);
  const seconds = rounds.reduce((sum, round) => sum + round.operations / round.perSecond, 0);
  return {
    concurrency: rounds[0].concurrency,
    operations,
    failures: rounds.reduce((sum, round) => sum + round.failures, 0),
    perSecond: operations / seconds,
    meanMs: median(rounds.map((round) => round.meanMs)),
    p50Ms: median(rounds.map((round) => round.p50Ms)),
    p99Ms: median(rounds.map((round) => round.p99Ms)),
  };
}

/**
 * Measures a subject against a reference in alternating short rounds, so that a change in the
 * machine's background load hits both alike. Each round makes fresh operations through
 * `reference()` and `subject()`. Ratios are the medians of the rounds' ratios.
 * @param {{ concurrency: number, rounds: number, roundMs: number,
 *   reference: () => (loop: number) => Promise<boolean>, subject: () => (loop: number) => Promise<boolean> }} options
 */
export async function runPaired({ concurrency, rounds, roundMs, reference, subject }) {
  const pairs = [];
  for (let round = 0; round < rounds; round += 1) {
    const load = (operation) => runLoad({ concurrency, durationMs: roundMs, warmupMs: 200, operation });
    const measuredReference = await load(reference());
    const measuredSubject = await load(subject());
    pairs.push([measuredReference, measuredSubject]);
  }
  return {
    reference: combine(pairs.map(([reference]) => reference)),
    subject: combine(pairs.map(([, measured]) => measured)),
    throughputRatio: median(pairs.map(([reference, measured]) => measured.perSecond / reference.perSecond)),
    p50Ratio: median(pairs.map(([reference, measured]) => measured.p50Ms / reference.p50Ms)),
  };
}
