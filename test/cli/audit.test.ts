import { expect, it } from 'vitest';
import { describeCli } from '../../packages/cli/src/test-support/describe-cli.js';
import { databaseUrl, runBin, workDir } from '../../packages/cli/src/test-support/run-bin.js';

const DAY_MS = 86_400_000;

describeCli('otpkit audit', { OTP_KEY_1: 'c'.repeat(64), OTPKIT_AUDIT_DAYS: '30' }, (cli) => {
  const { otpkit } = cli;

  it("reports each change the command line makes once, via 'cli', and lists a user's events newest first", async () => {
    const added = await otpkit('addstatictoken', 'alice');
    expect(added.code).toBe(0);
    const code = added.stdout.trim();
    expect((await otpkit('verify', 'alice', code)).code).toBe(0);
    expect((await otpkit('verify', 'alice', code)).code).toBe(1);

    const listed = await otpkit('audit', 'alice', '--json');
    expect(listed.code).toBe(0);
    const events = JSON.parse(listed.stdout) as { id: number; type: string; via: string; deviceId: string }[];
    expect(events.map((event) => `${event.type} ${event.via}`)).toEqual(['failed cli', 'verified cli', 'backupCodeAdded cli', 'deviceAdded cli']);
    expect(listed.stdout).not.toContain(code);
    const device = events[1]!.deviceId;
    expect(events[1]).toMatchObject({ userId: '1', deviceId: expect.stringMatching(/^static\/\d+$/), method: 'token', ip: null, userAgent: null, actor: expect.stringMatching(/^cli:/) });

    const human = await otpkit('audit', 'alice', '--limit', '2');
    expect(human.stdout.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^\d+  \d{4}-\d\d-\d\dT[\d:.]+Z  failed  -  via cli by cli:\S+  failureCount=0  lockedUntil=null$/),
      expect.stringMatching(new RegExp(`^\\d+  \\S+  verified  ${device}  via cli by cli:\\S+  method=token$`)),
    ]);
    const next = JSON.parse((await otpkit('audit', 'alice', '--json', '--before', String(events[1]!.id))).stdout) as { type: string }[];
    expect(next.map((event) => event.type)).toEqual(['backupCodeAdded', 'deviceAdded']);
    expect(await otpkit('audit', 'bob')).toMatchObject({ code: 0, stdout: 'bob has no audit events.\n' });
    expect(await otpkit('audit', 'alice', '--limit', '0')).toMatchObject({ code: 2 });
  });

  it('sweep also deletes the audit events older than the retention', async () => {
    const old = Date.now() - 31 * DAY_MS;
    await cli.database.knex('otp_audit_event').insert({ at: old, type: 'deviceRemoved', user_id: '2', device_id: 'static/99', via: 'direct', detail: '{"confirmed":true}' });
    expect(JSON.parse((await otpkit('audit', 'bob', '--json')).stdout)).toHaveLength(1);
    expect(JSON.parse((await otpkit('sweep', '--json')).stdout)).toEqual({ deleted: 0, auditEvents: 1 });
    expect(JSON.parse((await otpkit('audit', 'bob', '--json')).stdout)).toEqual([]);
    expect(JSON.parse((await otpkit('audit', 'alice', '--json')).stdout)).toHaveLength(4);
  });

  it('without the audit table, audit names the fix; a bad OTPKIT_AUDIT_DAYS is refused', async () => {
    const cwd = workDir('repository');
    try {
      const env = { DATABASE_URL: databaseUrl(cli.database.config), OTP_KEY_1: 'c'.repeat(64) };
      expect(await runBin(['audit', 'alice'], { cwd: cwd.path, env })).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/\notpkit: the audit table is off: set audit: true in the configuration file, or OTPKIT_AUDIT_DAYS with DATABASE_URL \(ERR_OTP_CONFIGURATION\)\n$/),
      });
      expect(await runBin(['audit', 'alice'], { cwd: cwd.path, env: { ...env, OTPKIT_AUDIT_DAYS: 'forever' } })).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('OTPKIT_AUDIT_DAYS must be'),
      });
    } finally {
      cwd.remove();
    }
  });
}, 'repository');
