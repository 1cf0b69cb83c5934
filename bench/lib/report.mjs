/**
 * The benchmark's results: rows of figures, each with its ratio against a ceiling measured in the
 * same run, printed as a table and written as JSON.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';

/**
 * @typedef {object} Figure
 * @property {string} name
 * @property {string} measure    what `value` is: 'ops/s', 'p50 ms', 'queries/call', …
 * @property {number} value
 * @property {number | null} ratio   `value` divided by the figure named in `against`: above 1 is better for a
 *   throughput, worse for a latency or a count
 * @property {string | null} against what the ratio compares with
 * @property {string | null} target  e.g. '>= 0.7'
 * @property {boolean | null} met    whether the target is met
 * @property {object} [detail]       the raw load result
 */

export class Report {
  constructor() {
    /** @type {Figure[]} */
    this.figures = [];
    /** @type {{ name: string, reason: string }[]} */
    this.pending = [];
    this.startedAt = new Date().toISOString();
  }

  /**
   * Adds a figure. `target` is `{ min }` or `{ max }` on the ratio.
   * @param {Omit<Figure, 'met' | 'target'> & { target?: { min?: number, max?: number } }} figure
   */
  add({ target, ...figure }) {
    let met = null;
    let text = null;
    if (target !== undefined && figure.ratio !== null) {
      met = target.min !== undefined ? figure.ratio >= target.min : figure.ratio <= target.max;
      text = target.min !== undefined ? `>= ${target.min}` : `<= ${target.max}`;
    }
    this.figures.push({ ...figure, target: text, met });
    const ratio = figure.ratio === null ? '' : ` (${figure.ratio.toFixed(2)} of ${figure.against})`;
    console.log(`  ${figure.name}: ${round(figure.value)} ${figure.measure}${ratio}`);
  }

  /** Records a part that could not run, and why. */
  skip(name, reason) {
    this.pending.push({ name, reason });
    console.log(`  ${name}: not measured (${reason})`);
  }

  /** The results as a table. */
  table() {
    const header = ['figure', 'value', 'ratio', 'against', 'target', 'met'];
    const rows = this.figures.map((f) => [
      f.name,
      `${round(f.value)} ${f.measure}`,
      f.ratio === null ? '' : f.ratio.toFixed(2),
      f.against ?? '',
      f.target ?? '',
      f.met === null ? '' : f.met ? 'yes' : 'NO',
    ]);
    const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column].length)));
    const line = (row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
    const out = [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
    for (const { name, reason } of this.pending) out.push(`${name}: not measured (${reason})`);
    return out.join('\n');
  }

  /** Writes the results as JSON to `path`. */
  write(path) {
    mkdirSync(dirname(path), { recursive: true });
    const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version };
    const json = { startedAt: this.startedAt, finishedAt: new Date().toISOString(), machine, figures: this.figures, pending: this.pending };
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
  }
}

function round(value) {
  return value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 3);
}
