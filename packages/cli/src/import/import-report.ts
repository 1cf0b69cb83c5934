import type { ImportLine } from './import-entries.js';

/** The report of an import, as `--json` prints it. */
export interface ImportReport {
  readonly dryRun: boolean;
  readonly imported: number;
  readonly alreadyImported: number;
  readonly skipped: number;
  readonly devices: readonly ImportLine[];
}

/** Counts the lines of an import. */
export function importReport(lines: readonly ImportLine[], dryRun: boolean): ImportReport {
  const count = (status: ImportLine['status']) => lines.filter((line) => line.status === status).length;
  return { dryRun, imported: count('imported'), alreadyImported: count('already-imported'), skipped: count('skipped'), devices: lines };
}

/** One device's line: what it became, or why it was skipped. */
function textLine(line: ImportLine): string {
  const user = line.userId === null ? `source user ${line.sourceUser}` : `user ${line.userId}`;
  if (line.status === 'skipped') return `  skipped           ${line.source}  ${user}  ${line.reason}: ${line.message}`;
  const target = line.persistentId === null ? '' : `  -> ${line.persistentId}`;
  return `  ${line.status.padEnd(16)}  ${line.source}  ${user}${target}`;
}

/** The human-readable report: a summary line, then one line per device. */
export function reportLines(report: ImportReport): string[] {
  const verb = report.dryRun ? 'Would import' : 'Imported';
  const summary = `${verb} ${report.imported} device(s); ${report.alreadyImported} already imported; ${report.skipped} skipped.${report.dryRun ? ' Dry run: nothing was written.' : ''}`;
  return [summary, ...report.devices.map(textLine)];
}
