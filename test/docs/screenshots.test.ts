import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appCode, freshTimeStep } from '../../packages/demo/src/test-support/authenticator-app.js';
import { startDemo, type RunningDemo } from '../../packages/demo/src/test-support/start-demo.js';
import { ROOT } from './doc-pages.js';
import { haveTools } from '../support/external-tools.js';

/** `UPDATE_SCREENSHOTS=1` writes docs/screenshots/*.png; otherwise they go to a temporary folder. */
const update = process.env.UPDATE_SCREENSHOTS === '1';

describe.runIf(haveTools('chromium', 'oathtool'))('the demo in a real browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-shots-'));
  const shots = update ? `${ROOT}docs/screenshots` : join(dir, 'screenshots');
  let demo: RunningDemo;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const shoot = (name: string, tab = page) => tab.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    demo = await startDemo({ DEMO_DB: join(dir, 'demo.sqlite') });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1000, height: 700 } })).newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers, enrols an authenticator app from the page, reaches the secret page, and logs in again with a code', async () => {
    await page.goto(`${demo.url}/`);
    await shoot('home');
    await page.click('text=Register');
    await page.fill('#username', 'alice');
    await page.fill('#email', 'alice@example.com');
    await page.fill('#password', 'correct horse battery');
    await shoot('register');
    await page.click('button:has-text("Create account")');
    await page.waitForURL('**/devices');
    await shoot('devices-empty');

    await page.click('button:has-text("Authenticator app")');
    await page.waitForURL(/\/devices\/totp\/\d+$/);
    expect(await page.locator('img.qr').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);
    const key = (await page.locator('.key').textContent())!.replaceAll(' ', '');
    await shoot('totp-setup');
    await freshTimeStep();
    await page.fill('#token', appCode(key));
    await page.click('button:has-text("Confirm")');
    await page.waitForURL('**/devices?notice=*');

    await page.click('button:has-text("Backup codes")');
    await expect.poll(() => page.locator('.codes li').count()).toBe(10);
    await shoot('backup-codes');

    await page.goto(`${demo.url}/devices/email`);
    await page.click('button:has-text("Send a code")');
    await page.locator('#token').waitFor();
    await shoot('email-setup');
    // The mail is read in another tab: pages that show codes are no-store, so Back cannot restore them.
    const mail = await page.context().newPage();
    await mail.goto(`${demo.url}/outbox`);
    await shoot('outbox', mail);
    const code = /\b(\d{6})\b/.exec((await mail.locator('pre').first().textContent())!)![1]!;
    await mail.close();
    await page.fill('#token', code);
    await page.click('button:has-text("Confirm")');
    await page.waitForURL('**/devices?notice=*');
    await shoot('devices');

    await page.click('header >> text=Secret page');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Secret page');
    await shoot('secret');

    await page.click('button:has-text("Log out")');
    await page.goto(`${demo.url}/secret`);
    await page.waitForURL('**/account/login?next=*');
    await page.fill('#username', 'alice');
    await page.fill('#password', 'correct horse battery');
    await shoot('login');
    await page.click('button[type=submit]');
    await page.waitForURL('**/account/verify?next=*');
    await shoot('verify');
    await page.fill('#otp_token', appCode(key, 30));
    await page.click('button[type=submit]:not([name=otp_challenge])');
    await page.waitForURL('**/secret');
    expect(await page.locator('main').textContent()).toContain('You verified with Authenticator app');
    expect(errors).toEqual([]);
  });
});
