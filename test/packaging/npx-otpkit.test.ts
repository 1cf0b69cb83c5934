import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('npx otpkit in the repository', () => {
  beforeAll(async () => {
    await run('npx', ['tsc', '-b', 'packages/tsconfig.build.json'], { cwd: ROOT, timeout: 5 * 60_000 });
  }, 6 * 60_000);

  it('runs the workspace\'s command line, never a package of that name from the registry', async () => {
    const { stdout } = await run('npx', ['--no-install', 'otpkit', '--help'], { cwd: ROOT, timeout: 60_000 });
    expect(stdout).toMatch(/^Usage: otpkit \[options\] \[command\]\n/);
  });

  it('points the command at a file in git, which npm links on install, before the build has written dist/', async () => {
    const cli = JSON.parse(readFileSync(`${ROOT}packages/cli/package.json`, 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(cli.bin)).toEqual(['otpkit']);
    await expect(run('git', ['ls-files', '--error-unmatch', `packages/cli/${cli.bin.otpkit}`], { cwd: ROOT })).resolves.toBeTruthy();
  });
});
