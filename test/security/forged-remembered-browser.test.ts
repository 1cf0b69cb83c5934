/**
 * An attacker who can write the database (no key) and knows the victim's password. The remembered
 * browser table kept an unkeyed SHA-256 of the cookie token, so such an attacker could insert a row
 * for the victim under a token of their own choosing, or move their own browser's row to the
 * victim, and present it as a cookie: the session came out verified, with the victim's devices
 * untouched. The digests are now keyed (with secretKeys) and bound to the owner, device and expiry,
 * like backup-code digests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Otp } from '@otpkit/core';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { ApiClient } from '../../packages/express/src/test-support/api-client.js';
import { startOtpApp } from '../../packages/express/src/test-support/otp-app.js';
import type { TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, createUsersTable } from '../../packages/express/src/test-support/users.js';
import { describeOnBackends } from './support/backends.js';
import { enrolBackupCodes } from './support/backup-codes.js';

const devices = [totp(), staticTokens()];
const secretKeys = { '1': 'e'.repeat(64) };

describeOnBackends('a database writer cannot forge a remembered browser', { devices, secretKeys }, (fixture) => {
  let otp: Otp;
  let server: TestServer;
  beforeAll(async () => {
    otp = fixture.otp({ devices, secretKeys });
    await createUsersTable(fixture.database.knex);
    server = await startOtpApp(otp, fixture.database.knex);
  });
  afterAll(async () => server?.close());

  it('a remembered-browser row written into the table does not verify a session', async () => {
    const userId = await addUser(fixture.database.knex, `forged-browser-${fixture.backend.name}`, 'password');
    const { device: backup } = await enrolBackupCodes(otp, userId);
    fixture.clock.advanceSeconds(1);
    // The attacker's own token, with the unkeyed digests a keyless otpkit would write, as a row for
    // the victim's device.
    const token = randomBytes(32).toString('base64url');
    const now = fixture.clock.now();
    const expiresAt = now + 30 * 86_400_000;
    const unkeyed = (value: string) => `sha256$${createHash('sha256').update(value, 'utf8').digest('base64url')}`;
    await fixture.database.knex('otp_remembered_browser').insert({
      token_hash: unkeyed(token),
      binding: unkeyed(`${token}\n${backup.persistentId}\n${expiresAt}`),
      user_id: String(userId),
      device_id: backup.persistentId,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      user_agent: null,
    });
    const attacker = await ApiClient.loggedIn(server.url, userId);
    attacker.http.cookies.set('otpkit_remember', token);
    expect((await attacker.whoami()).verified).toBe(false);
  });

  it("the attacker's own remembered-browser row moved to the victim does not verify a session", async () => {
    const victim = await addUser(fixture.database.knex, `moved-browser-victim-${fixture.backend.name}`, 'password');
    const { device: victimCodes } = await enrolBackupCodes(otp, victim);
    const attackerUser = await addUser(fixture.database.knex, `moved-browser-attacker-${fixture.backend.name}`, 'password');
    const attackerCodes = await otp.createDevice('static', attackerUser, { confirmed: true });
    fixture.clock.advanceSeconds(1);
    const { token, browser } = await otp.browsers.remember(attackerUser, attackerCodes.persistentId, { ttlSeconds: 3600 });
    expect(await otp.browsers.find(token)).not.toBeNull();
    await fixture.database.knex('otp_remembered_browser').where('id', browser.id).update({ user_id: String(victim), device_id: victimCodes.persistentId });
    expect(await otp.browsers.find(token)).toBeNull();
    const attacker = await ApiClient.loggedIn(server.url, victim);
    attacker.http.cookies.set('otpkit_remember', token);
    expect((await attacker.whoami()).verified).toBe(false);
  });
});
