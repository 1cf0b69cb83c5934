import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { postgresBinDir } from './private-postgres.js';

/**
 * The Debian programs some tests use as independent peers: Chromium (a real browser), oathtool
 * (codes computed outside otpkit), zbarimg (QR codes read back) and PostgreSQL's server programs
 * (private clusters to restart and replicate). `npm test` runs without them
 * and says which tests it skipped; with `OTPKIT_TEST_REQUIRE_TOOLS=1` (CI) a missing one fails.
 */
export const EXTERNAL_TOOLS = Object.freeze({
  chromium: { package: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  oathtool: { package: 'oathtool', present: () => spawnSync('oathtool', ['--version']).status === 0 },
  zbarimg: { package: 'zbar-tools', present: () => spawnSync('zbarimg', ['--version']).status === 0 },
  postgres: { package: 'postgresql', present: () => postgresBinDir() !== null },
  pgbouncer: { package: 'pgbouncer', present: () => existsSync('/usr/sbin/pgbouncer') },
});

/** A program some tests need. */
export type ExternalTool = keyof typeof EXTERNAL_TOOLS;

/** The tools that are not installed. */
export function missingTools(): ExternalTool[] {
  return (Object.keys(EXTERNAL_TOOLS) as ExternalTool[]).filter((tool) => !EXTERNAL_TOOLS[tool].present());
}

/** Whether every one of `tools` is installed: gate a `describe` on it with `describe.runIf`. */
export function haveTools(...tools: ExternalTool[]): boolean {
  return tools.every((tool) => EXTERNAL_TOOLS[tool].present());
}
