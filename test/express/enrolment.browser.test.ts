import express, { type RequestHandler } from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otpLoginRouter, otpMiddleware, otpRequired } from '@otpkit/express';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import { webauthn } from '@otpkit/webauthn';
import { describeOnBackends } from '../../packages/core/src/test-support/backend-fixture.js';
import { startTestServer, type TestServer } from '../../packages/express/src/test-support/test-server.js';
import { addUser, passwordAuthenticator } from '../../packages/express/src/test-support/users.js';
import { launchChromium } from '../support/chromium.js';
import { haveTools } from '../support/external-tools.js';
import { oathtoolTotp } from './support/oathtool.js';
import { usePolicyApp } from './support/policy-app.js';

describe.runIf(haveTools('chromium', 'oathtool'))('with chromium and oathtool', () => {
  describeOnBackends('forced enrolment in Chromium', (fixture) => {
    const { app, newUser } = usePolicyApp(fixture, { graceDays: 0, satisfiedBy: ['totp', 'static'] });
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    /** Opens /protected, is sent to the login page, and signs in with the password. */
    async function signIn(page: Page, username: string, landing: RegExp): Promise<void> {
      await page.goto(`${app.server.url}/protected`);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(`${username}-password`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(landing);
    }

    it('a required user enrols an authenticator app, is given backup codes, reaches the protected page, and later signs in with a backup code', async () => {
      const { username } = await newUser('required');
      const context = await browser.newContext();
      const page = await context.newPage();
      await signIn(page, username, /\/account\/enrol\?next=%2Fprotected$/);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Set up two-factor authentication');
      await expect(page.getByRole('alert').first().textContent()).resolves.toBe('Your account must be protected by a second factor. Set one up to continue.');
      expect(await page.getByRole('link', { name: 'Remind me later' }).count()).toBe(0);
      expect(await page.getByLabel('Authenticator app').isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Continue' }).click();

      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Set up your authenticator app');
      const qr = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
      // The page's Content-Security-Policy allows the data: image: the browser decoded it.
      expect(await qr.evaluate((image) => (image as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0)).toBe(true);
      const key = (await page.locator('#otp_key').textContent())!;
      fixture.clock.advanceSeconds(30);
      await page.getByLabel('The code your app shows').fill(oathtoolTotp(key, fixture.clock.now()));
      await page.getByRole('button', { name: 'Confirm' }).click();

      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your backup codes');
      await expect(page.getByRole('status').textContent()).resolves.toBe('Two-factor authentication is on.');
      const codes = await page.locator('ul.codes code').allTextContents();
      expect(codes).toHaveLength(10);
      await page.getByRole('button', { name: 'I have saved them' }).click();
      await page.waitForURL(`${app.server.url}/protected`);
      await expect(page.locator('#who').textContent()).resolves.toMatch(/via totp\//);
      await context.close();

      const later = await browser.newContext();
      const again = await later.newPage();
      await signIn(again, username, /\/account\/verify/);
      await again.getByRole('link', { name: 'Use a backup code instead' }).click();
      await again.getByLabel('Backup code').fill(codes[0]!);
      await again.getByRole('button', { name: 'Verify' }).click();
      await again.waitForURL(/\/account\/backup-codes\?next=%2Fprotected$/);
      await expect(again.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('You signed in with a backup code');
      await expect(again.getByRole('status').textContent()).resolves.toBe('You have 9 backup codes left.');
      await again.getByRole('link', { name: 'Continue' }).click();
      await again.waitForURL(`${app.server.url}/protected`);
      await expect(again.locator('#who').textContent()).resolves.toMatch(/via static\//);
      await later.close();
    });

    describe('with a passkey', () => {
      let server: TestServer;
      let origin: string;

      beforeAll(async () => {
        // WebAuthn needs the page's origin, known once the server listens: the app is mounted then.
        let mounted: RequestHandler = (_req, _res, next) => next();
        server = await startTestServer((host) => host.use((req, res, next) => mounted(req, res, next)));
        origin = server.url.replace('127.0.0.1', 'localhost');
        const otp = fixture.otp({ devices: [totp(), staticTokens(), webauthn({ rpName: 'otpkit test', rpID: 'localhost', origins: origin })] });
        await otp.migrate();
        const app = express.Router();
        app.use(otpMiddleware(otp, { policy: { require: () => 'required', graceDays: 0, satisfiedBy: ['webauthn'] } }));
        app.use('/account', otpLoginRouter(otp, { authenticate: passwordAuthenticator(fixture.database.knex) }));
        app.get('/protected', otpRequired({ loginUrl: '/account/login' }), (req, res) => void res.type('html').send(`<h1>Protected area</h1><p id="who">via ${req.otp.device!.persistentId}</p>`));
        mounted = app;
      });
      afterAll(() => server?.close());

      it('a required user whom only a passkey satisfies creates one in the page, then gets backup codes', async () => {
        await addUser(fixture.database.knex, 'passkey-user', 'passkey-user-password');
        const context = await browser.newContext();
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('WebAuthn.enable', { enableUI: false });
        await cdp.send('WebAuthn.addVirtualAuthenticator', {
          options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
        });
        await page.goto(`${origin}/protected`);
        await page.getByLabel('Username').fill('passkey-user');
        await page.getByLabel('Password').fill('passkey-user-password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(/\/account\/enrol\?next=%2Fprotected$/);
        expect(await page.getByLabel('Authenticator app').count()).toBe(0);
        await page.getByLabel('Security key or passkey').check();
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByRole('heading', { level: 1, name: 'Set up your security key or passkey' }).waitFor();
        await page.getByRole('button', { name: 'Create the passkey' }).click();
        // The page's script creates the credential, posts it, then navigates: wait for the next page.
        await page.getByRole('heading', { level: 1, name: 'Your backup codes' }).waitFor();
        expect(await page.locator('ul.codes code').count()).toBe(10);
        await page.getByRole('button', { name: 'I have saved them' }).click();
        await page.waitForURL(`${origin}/protected`);
        await expect(page.locator('#who').textContent()).resolves.toMatch(/via webauthn\//);
        await context.close();
      });
    });
  });
});
