import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { SequenceDevice } from '../../packages/core/src/test-support/sequence-device.js';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { launchChromium } from '../support/chromium.js';
import { haveTools } from '../support/external-tools.js';
import { mountAdminPages } from '../../packages/express/src/examples/admin-pages.js';
import { useAdminApp } from './support/admin-app.js';

describe.runIf(haveTools('chromium'))('with chromium', () => {
  describeOnBackends('the admin pages in Chromium', (fixture) => {
    const app = useAdminApp(fixture, mountAdminPages);
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('an administrator signs in with a second factor, finds a user and helps them: every action once in the audit table with their id', async () => {
      const admin = await app.user('root');
      app.admins.add(admin.id);
      const olga = await app.user('olga', 'olga@otpkit.test');
      const phone = await app.otp.createDevice('totp', olga.id, { name: 'Old phone', confirmed: true });
      await app.otp.browsers.remember(olga.id, olga.device.persistentId, { ttlSeconds: 3600, userAgent: 'OlgaBrowser/1' });
      await app.sessions.issue(olga.id, { amr: ['pwd'], aal: 1, userAgent: 'OlgaApp/1' });
      for (let i = 0; i < 3; i += 1) await app.otp.verify(olga.id, olga.device.persistentId, 'wrong');

      const context = await browser.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(`${app.server.url}/admin/2fa/`);
      await expect(page.getByRole('alert').getAttribute('data-code')).resolves.toBe('admin_forbidden');

      await page.goto(`${app.server.url}/account/login?next=/admin/2fa/`);
      await page.getByLabel('Username').fill('root');
      await page.getByLabel('Password').fill('root-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/account\/verify/);
      const token = (await app.otp.deviceFromPersistentId<SequenceDevice>(admin.device.persistentId))!.currentToken();
      await page.getByLabel('Verification code').fill(token);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(`${app.server.url}/admin/2fa/`);

      await page.getByLabel('Username, email address or user id').fill('OLGA@otpkit.test');
      await page.getByRole('button', { name: 'Find' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Two-factor: olga');
      const status = () => page.getByRole('status').textContent();

      await page.getByRole('button', { name: 'Clear the failed attempts' }).click();
      await expect(status()).resolves.toContain('The failed attempts were cleared');
      await page.getByRole('button', { name: 'Remove the device Old phone' }).click();
      await expect(status()).resolves.toContain('The device Old phone was removed.');
      await page.getByRole('button', { name: 'Revoke the browser OlgaBrowser/1' }).click();
      await expect(status()).resolves.toContain('The browser was revoked');
      await page.getByRole('button', { name: 'Sign out the app OlgaApp/1' }).click();
      await expect(status()).resolves.toContain('The app was signed out.');
      await page.getByRole('button', { name: 'Issue a one-time backup code' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('One-time backup code for olga');
      expect(await page.locator('#backup-code').textContent()).toMatch(/^[\w-]{6,}$/);
      await page.getByRole('link', { name: 'Back to olga' }).click();

      const events = page.getByRole('table', { name: 'Events' });
      for (const type of ['throttleReset', 'deviceRemoved', 'browsersRevoked', 'tokenSessionsRevoked']) {
        await expect(events.getByRole('row').filter({ hasText: type }).filter({ hasText: admin.id }).count()).resolves.toBe(1);
      }
      const byAdmin = (await app.otp.auditEvents(olga.id, { limit: 1000 })).filter((event) => event.actor === admin.id);
      expect(byAdmin.map((event) => event.type).sort()).toEqual(['backupCodeAdded', 'browsersRevoked', 'deviceAdded', 'deviceRemoved', 'throttleReset', 'tokenSessionsRevoked']);
      expect(byAdmin.find((event) => event.type === 'deviceRemoved')?.deviceId).toBe(phone.persistentId);
      await context.close();
    });
  });
});
