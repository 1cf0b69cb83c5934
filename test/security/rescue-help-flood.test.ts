/**
 * Rescue in help mode calls the application's `notifyAdmins` (a mail, a ticket) on every
 * `POST /rescue`, with no cooldown and no daily cap: any signed-in session, even of the attacker's
 * own account, can mail the administrators without bound. Help requests now count against the
 * user's daily send limit (`sendLimits.perUser`), like the codes otpkit mails.
 */
import { expect, it } from 'vitest';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import type { RescueHelpRequest } from '@otpkit/express';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { usePluginApp } from '../express/support/plugin-otp.js';
import { describeOnBackends } from './support/backends.js';
import { userWithBackupCodes } from './support/plugin-users.js';

const devices = [totp(), staticTokens()];

describeOnBackends('rescue help requests are bounded', { devices }, (fixture) => {
  const requests: RescueHelpRequest[] = [];
  const app = usePluginApp(fixture, { api: { rescue: { mode: 'help', notifyAdmins: (request) => void requests.push(request) } } });

  it('a session cannot make otpkit notify the administrators more than the daily send limit', async () => {
    const { userId } = await userWithBackupCodes(app);
    const client = await ApiClient.loggedIn(app.server.url, userId);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 30; attempt += 1) statuses.push((await client.post('/rescue')).status);
    expect(requests.filter((request) => request.userId === String(userId))).toHaveLength(10);
    expect(statuses.slice(0, 10).every((status) => status === 202)).toBe(true);
    const refused = await client.post('/rescue');
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'daily_limit' } } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
