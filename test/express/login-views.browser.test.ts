import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { oathtoolTotp } from './support/oathtool.js';
import { usePluginApp } from './support/plugin-otp.js';
import { addUser } from '../../packages/express/src/test-support/users.js';
import { haveTools } from '../support/external-tools.js';

describe.runIf(haveTools('chromium', 'oathtool'))('with chromium and oathtool', () => {
  describeOnBackends('login views in Chromium', (fixture) => {
    const app = usePluginApp(fixture);
    let browser: Browser;
    let totpSecret: string;
    let backupCodes: string[];

    beforeAll(async () => {
      const { knex } = fixture.database;
      const alice = await addUser(knex, 'alice', 'alice-password', 'alice@otpkit.test');
      const totp = await app.otp.createDevice('totp', alice, { name: 'Phone', confirmed: true });
      totpSecret = new URL(await totp.keyUri()).searchParams.get('secret')!;
      const backup = await app.otp.enroll('static', alice);
      if (!backup.ok) throw new Error(`no backup codes: ${backup.reason}`);
      backupCodes = [...backup.display.codes];
      const bob = await addUser(knex, 'bob', 'bob-password', 'bob@otpkit.test');
      await app.otp.createDevice('email', bob, { name: 'Inbox', confirmed: true });
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    async function sessionCookie(context: BrowserContext): Promise<string | undefined> {
      return (await context.cookies()).find((cookie) => cookie.name === 'otpkit.sid')?.value;
    }

    /** Opens /protected, is sent to the login page, and signs in with the password. */
    async function signIn(page: Page, username: string): Promise<void> {
      await page.goto(`${app.server.url}/protected`);
      expect(new URL(page.url()).pathname).toBe('/account/login');
      expect(new URL(page.url()).searchParams.get('next')).toBe('/protected');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(`${username}-password`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/account\/verify/);
    }

    async function verify(page: Page, code: string, label = 'Verification code'): Promise<void> {
      await page.getByLabel(label).fill(code);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(`${app.server.url}/protected`);
      await expect(page.getByRole('heading', { name: 'Protected area' }).textContent()).resolves.toBe('Protected area');
    }

    it('logs in with the password and a TOTP code computed by oathtool; the session id changes at each step', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, 'alice');
      const afterPassword = await sessionCookie(context);
      expect(afterPassword).toBeDefined();
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Two-factor verification');
      fixture.clock.advanceSeconds(30);
      await verify(page, oathtoolTotp(totpSecret, fixture.clock.now()));
      expect(await sessionCookie(context)).not.toBe(afterPassword);
      await context.close();
    });

    it('logs in with a backup code, which then no longer works', async () => {
      for (const expected of ['ok', 'refused'] as const) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await signIn(page, 'alice');
        await page.getByRole('link', { name: 'Use a backup code instead' }).click();
        if (expected === 'ok') {
          // A backup code first says how many remain, then goes on to the page asked for.
          await page.getByLabel('Backup code').fill(backupCodes[0]!);
          await page.getByRole('button', { name: 'Verify' }).click();
          await page.waitForURL(/\/account\/backup-codes\?next=%2Fprotected$/);
          await expect(page.getByRole('status').textContent()).resolves.toBe(`You have ${backupCodes.length - 1} backup codes left.`);
          await page.getByRole('link', { name: 'Continue' }).click();
          await page.waitForURL(`${app.server.url}/protected`);
        } else {
          fixture.clock.advanceSeconds(5);
          await page.getByLabel('Backup code').fill(backupCodes[0]!);
          await page.getByRole('button', { name: 'Verify' }).click();
          await expect(page.getByRole('alert').textContent()).resolves.toContain('Invalid token');
          expect(await page.getByLabel('Backup code').getAttribute('aria-invalid')).toBe('true');
        }
        await context.close();
      }
    });

    it('logs in with a code sent by email and read from the SMTP server', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, 'bob');
      await page.getByRole('button', { name: 'Send me a code' }).click();
      await expect(page.getByRole('status').textContent()).resolves.toContain('OTP Challenge: sent by email');
      await verify(page, app.smtp.lastTokenTo('bob@otpkit.test'));
      await context.close();
    });

    it('remembers this browser when asked: after the session ends, the password alone passes', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, 'alice');
      await page.getByLabel('Remember this browser for 30 days').check();
      fixture.clock.advanceSeconds(30);
      await verify(page, oathtoolTotp(totpSecret, fixture.clock.now()));
      const remember = (await context.cookies()).find((cookie) => cookie.name === 'otpkit_remember');
      expect(remember).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      await context.clearCookies({ name: 'otpkit.sid' });
      await page.goto(`${app.server.url}/protected`);
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('alice-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${app.server.url}/protected`);
      await expect(page.locator('#who').textContent()).resolves.toMatch(/via totp\//);
      await context.close();
    });

    /** Fills the one-page form at /one/login and posts it; the page's alert text, or `null` when it signed in. */
    async function onePage(page: Page, fields: { username: string; password: string; code: string }): Promise<string | null> {
      await page.goto(`${app.server.url}/one/login?next=/protected`);
      await page.getByLabel('Username').fill(fields.username);
      await page.getByLabel('Password').fill(fields.password);
      await page.getByLabel('Verification code').fill(fields.code);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // The form page has no alert: one appears only on the answer.
      await Promise.race([page.waitForURL(`${app.server.url}/protected`), page.getByRole('alert').waitFor()]);
      return new URL(page.url()).pathname === '/protected' ? null : page.getByRole('alert').textContent();
    }

    it('signs in on one page: the code field is there from the first view; password and a TOTP code from oathtool in one post', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${app.server.url}/one/login`);
      await expect(page.getByLabel('Verification code').isVisible()).resolves.toBe(true);
      await expect(page.getByRole('button', { name: 'Send me a code' }).count()).resolves.toBe(0);
      fixture.clock.advanceSeconds(30);
      await expect(onePage(page, { username: 'alice', password: 'alice-password', code: oathtoolTotp(totpSecret, fixture.clock.now()) })).resolves.toBeNull();
      await expect(page.locator('#who').textContent()).resolves.toMatch(/via totp\//);
      await context.close();
    });

    it('password oracle via one-page form and device name disclosure before token: a wrong password and a right password with a wrong code read the same', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const wrongPassword = await onePage(page, { username: 'alice', password: 'not-alice-password', code: '123456' });
      const wrongPasswordPage = await page.locator('main').innerHTML();
      fixture.clock.advanceSeconds(30);
      const wrongCode = await onePage(page, { username: 'alice', password: 'alice-password', code: '123456' });
      const wrongCodePage = await page.locator('main').innerHTML();
      expect(wrongPassword).toBe('Please enter a correct username, password and verification code. After several failed attempts, sign-in is paused for a while.');
      expect(wrongCode).toBe(wrongPassword);
      const withoutCsrf = (html: string) => html.replace(/name="_csrf" value="[^"]*"/, '');
      expect(withoutCsrf(wrongCodePage)).toBe(withoutCsrf(wrongPasswordPage));
      expect(wrongCodePage).not.toContain('Phone');
      await expect(page.getByLabel('Password').inputValue()).resolves.toBe('');
      await context.close();
    });

    it('refuses a form posted without its CSRF token', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${app.server.url}/account/login`);
      await page.locator('input[name="_csrf"]').evaluate((input) => input.remove());
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('alice-password');
      const [response] = await Promise.all([page.waitForResponse(`${app.server.url}/account/login`), page.getByRole('button', { name: 'Sign in' }).click()]);
      expect(response.status()).toBe(403);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('The form expired');
      await page.goto(`${app.server.url}/whoami`);
      expect(JSON.parse((await page.locator('body').textContent())!)).toMatchObject({ userId: null });
      await context.close();
    });
  });
});
