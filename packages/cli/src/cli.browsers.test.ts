import { expect, it } from 'vitest';
import { createOtp } from '@otpkit/core';
import { counter } from './test-support/counter-plugin/index.mjs';
import { describeCli } from './test-support/describe-cli.js';

describeCli('otpkit browsers', { OTP_KEY_1: 'b'.repeat(64) }, (cli) => {
  const { otpkit } = cli;

  /** Remembers a browser of the user with this id directly through core, as a login would. */
  async function remember(userId: string, userAgent: string): Promise<number> {
    const otp = createOtp({ knex: cli.database.knex, devices: [counter()], logger: { warn: () => {} } });
    return (await otp.browsers.remember(userId, 'counter/1', { ttlSeconds: 3600, userAgent })).browser.id;
  }

  it("lists a user's remembered browsers, revokes one with --forget and the rest with --all", async () => {
    const first = await remember('1', 'Firefox on Linux');
    const second = await remember('1', 'Safari on iPhone');
    await remember('2', "Bob's browser");
    const listed = await otpkit('browsers', 'alice');
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(new RegExp(`^${second}  counter/1  remembered .* Safari on iPhone$`)),
      expect.stringMatching(new RegExp(`^${first}  counter/1  remembered .* Firefox on Linux$`)),
    ]);
    expect(await otpkit('browsers', 'alice', '--forget', String(first))).toMatchObject({ code: 0, stdout: `Forgot remembered browser ${first} of alice.\n` });
    expect(await otpkit('browsers', 'alice', '--forget', String(first))).toMatchObject({ code: 1, stderr: expect.stringContaining('ERR_CLI_UNKNOWN_BROWSER') });
    expect(JSON.parse((await otpkit('browsers', 'alice', '--json')).stdout)).toMatchObject([{ id: second, userId: '1', userAgent: 'Safari on iPhone' }]);
    expect(await otpkit('browsers', 'alice', '--all')).toMatchObject({ code: 0, stdout: 'Forgot 1 remembered browser of alice.\n' });
    expect(await otpkit('browsers', 'alice')).toMatchObject({ code: 0, stdout: 'alice has no remembered browsers.\n' });
    expect(JSON.parse((await otpkit('browsers', 'bob', '--json')).stdout)).toHaveLength(1);
    expect(await otpkit('browsers', 'alice', '--forget', 'x')).toMatchObject({ code: 2 });
  });
});
