import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { addUser } from '../../packages/express/src/test-support/users.js';
import { launchChromium } from '../support/chromium.js';
import { haveTools } from '../support/external-tools.js';
import { oathtoolTotp } from './support/oathtool.js';
import { usePluginApp } from './support/plugin-otp.js';

describe.runIf(haveTools('chromium', 'oathtool'))('with chromium and oathtool', () => {
  describeOnBackends('choice of method on the token page in Chromium', (fixture) => {
    const app = usePluginApp(fixture);
    const phone = '+14155550142';
    let browser: Browser;
    let totpSecret: string;
    let backupCodes: string[];

    beforeAll(async () => {
      const erin = await addUser(fixture.database.knex, 'erin', 'erin-password');
      const totp = await app.otp.createDevice('totp', erin, { name: 'Phone', confirmed: true });
      totpSecret = new URL(await totp.keyUri()).searchParams.get('secret')!;
      await app.otp.createDevice('sms', erin, { name: 'Mobile', number: phone, confirmed: true });
      const backup = await app.otp.enroll('static', erin);
      if (!backup.ok) throw new Error(`no backup codes: ${backup.reason}`);
      backupCodes = [...backup.display.codes];
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    /** A fresh browser: opens /protected, signs in with the password, lands on the token page. */
    async function tokenPage(): Promise<Page> {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${app.server.url}/protected`);
      await page.getByLabel('Username').fill('erin');
      await page.getByLabel('Password').fill('erin-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/account\/verify/);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Two-factor verification');
      return page;
    }

    /** Types the code in the field labelled `label`, verifies, and checks which device signed in. */
    async function verify(page: Page, label: string, code: string, type: string): Promise<void> {
      await page.getByLabel(label).fill(code);
      await page.getByRole('button', { name: 'Verify', exact: true }).click();
      if (type === 'static') {
        // A backup code is followed by how many remain, then the page asked for.
        await page.waitForURL(/\/account\/backup-codes\?next=%2Fprotected$/);
        await page.getByRole('link', { name: 'Continue' }).click();
      }
      await page.waitForURL(`${app.server.url}/protected`);
      await expect(page.locator('#who').textContent()).resolves.toMatch(new RegExp(` via ${type}/\\d+$`));
      await page.context().close();
    }

    const hint = (page: Page) => page.locator('#otp_token_hint').textContent();

    it('signs in with the authenticator app, offered first, its code field focused', async () => {
      const page = await tokenPage();
      await expect(hint(page)).resolves.toBe('The code your authenticator app (Phone) shows now.');
      await expect(page.locator(':focus').getAttribute('id')).resolves.toBe('otp_token');
      const others = page.getByRole('navigation', { name: 'Other ways to verify' });
      await expect(others.getByRole('link', { name: 'Use a backup code instead' }).count()).resolves.toBe(1);
      await expect(others.getByRole('button', { name: 'Send me a code instead: Text message to •••42' }).count()).resolves.toBe(1);
      await expect(page.content()).resolves.not.toContain('4155550142');
      fixture.clock.advanceSeconds(30);
      await verify(page, 'Verification code', oathtoolTotp(totpSecret, fixture.clock.now()), 'totp');
    });

    it('signs in with a backup code after "Use a backup code instead"', async () => {
      const page = await tokenPage();
      await page.getByRole('link', { name: 'Use a backup code instead' }).click();
      await expect(hint(page)).resolves.toBe('One of the backup codes you saved. Each code works once.');
      await verify(page, 'Backup code', backupCodes[0]!, 'static');
    });

    it('signs in with a text message after "Send me a code instead", making it the default', async () => {
      const page = await tokenPage();
      await page.getByRole('button', { name: 'Send me a code instead: Text message to •••42' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('OTP Challenge: sent by SMS');
      await expect(hint(page)).resolves.toBe('We text a code to •••42 when you ask for one.');
      await expect(page.getByRole('button', { name: 'Send a new code' }).count()).resolves.toBe(1);
      await page.getByLabel('Make this my default method').check();
      await verify(page, 'Verification code', app.sms.lastCodeTo(phone), 'sms');
    });

    it('then offers the text message first, and the authenticator app from "Use another method"', async () => {
      const page = await tokenPage();
      await expect(hint(page)).resolves.toBe('We text a code to •••42 when you ask for one.');
      await expect(page.getByLabel('Make this my default method').count()).resolves.toBe(0);
      await page.getByRole('link', { name: 'Use another method' }).click();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Choose how to verify');
      await expect(page.getByRole('listitem').allTextContents()).resolves.toEqual(['Text message to •••42 (your default)', 'Authenticator app (Phone)', 'Backup codes']);
      await page.getByRole('link', { name: 'Authenticator app (Phone)' }).click();
      await expect(hint(page)).resolves.toBe('The code your authenticator app (Phone) shows now.');
      fixture.clock.advanceSeconds(30);
      await verify(page, 'Verification code', oathtoolTotp(totpSecret, fixture.clock.now()), 'totp');
    });
  });
});
