import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from './index.js';

/** An io that records what a run wrote. */
function recorder(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', env, cwd: '/nonexistent-otpkit-dir', stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text) };
  return io;
}

describe('runCli', () => {
  it('runs in-process with the given io and resolves to the exit code', async () => {
    const io = recorder();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('reports a missing configuration on the given stderr, as JSON with --json', async () => {
    const io = recorder();
    expect(await runCli(['devices', 'alice', '--json'], io)).toBe(1);
    expect(JSON.parse(io.err)).toEqual({ error: { code: 'ERR_CLI_NO_CONFIG', message: expect.stringContaining('DATABASE_URL') } });
    expect(io.out).toBe('');
  });
});
