import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from '../../packages/demo/src/test-support/start-demo.js';
import { haveTools } from '../support/external-tools.js';

/** A virtual authenticator as the DevTools protocol's `WebAuthn.addVirtualAuthenticator` takes it. */
interface VirtualAuthenticator {
  readonly protocol: 'ctap2';
  readonly transport: 'internal' | 'usb';
  readonly hasResidentKey: boolean;
  readonly hasUserVerification: boolean;
  readonly isUserVerified: boolean;
  readonly automaticPresenceSimulation: true;
}

/** A platform authenticator that keeps passkeys and verifies the user (a laptop's fingerprint reader). */
const PLATFORM_PASSKEYS: VirtualAuthenticator = { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true };
/** A roaming CTAP2 security key on USB with no resident keys and no user verification. */
const ROAMING_KEY: VirtualAuthenticator = { protocol: 'ctap2', transport: 'usb', hasResidentKey: false, hasUserVerification: false, isUserVerified: false, automaticPresenceSimulation: true };

/** A browser tab with a virtual authenticator attached through the DevTools protocol. */
interface KeyedTab {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly cdp: CDPSession;
  readonly authenticatorId: string;
  /** Errors the page's scripts threw or logged (not HTTP statuses). */
  readonly errors: string[];
}

describe.runIf(haveTools('chromium'))('passkeys and security keys in the demo, in Chromium with a virtual authenticator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'otpkit-passkeys-'));
  let demo: RunningDemo;
  let browser: Browser;

  beforeAll(async () => {
    demo = await startDemo({ DEMO_DB: join(dir, 'demo.sqlite') });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function keyedTab(authenticator: VirtualAuthenticator): Promise<KeyedTab> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // A refused sign-in is a 400 page, which Chromium logs as a failed resource: only script errors count.
    page.on('console', (message) => void (message.type() === 'error' && !message.text().startsWith('Failed to load resource') && errors.push(message.text())));
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: authenticator });
    return { context, page, cdp, authenticatorId, errors };
  }

  /** Whether the authenticator answers requests at once, as if the user touched it (off: requests wait). */
  async function presence(tab: KeyedTab, enabled: boolean): Promise<void> {
    await tab.cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: tab.authenticatorId, enabled });
  }

  async function credentialsOf(tab: KeyedTab) {
    return (await tab.cdp.send('WebAuthn.getCredentials', { authenticatorId: tab.authenticatorId })).credentials;
  }

  async function register(page: Page, username: string): Promise<void> {
    await page.goto(`${demo.url}/register`);
    await page.fill('#username', username);
    await page.fill('#email', `${username}@example.com`);
    await page.fill('#password', 'correct horse battery');
    await page.click('button:has-text("Create account")');
    await page.waitForURL('**/devices');
  }

  /** "Add a passkey" on the devices page: the browser creates the credential, the demo confirms it. */
  async function addPasskey(page: Page): Promise<void> {
    await page.click('button:has-text("Add a passkey")');
    await page.waitForURL('**/devices/passkey');
    await page.click('button:has-text("Create the passkey")');
    await page.waitForURL('**/devices?notice=*');
    await expect(page.locator('.notice').textContent()).resolves.toBe('Your passkey is ready.');
  }

  async function logOut(page: Page): Promise<void> {
    await page.click('header button:has-text("Log out")');
    await page.waitForURL(`${demo.url}/`);
  }

  async function logInWithPassword(page: Page, username: string): Promise<void> {
    await page.goto(`${demo.url}/account/login?next=%2Fsecret`);
    await page.fill('#username', username);
    await page.fill('#password', 'correct horse battery');
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(/\/account\/verify/);
  }

  /** On the verification page: asks for a challenge for the key, then answers it with the authenticator. */
  async function verifyWithKey(page: Page, deviceName: string): Promise<void> {
    await page.click(`button:has-text("Use ${deviceName}")`);
    await page.click('button:has-text("Continue with your security key")');
    await page.waitForURL('**/secret');
    await expect(page.locator('main').textContent()).resolves.toContain(`You verified with ${deviceName}`);
  }

  /** A new user of the demo who added a passkey with `authenticator`, which the devices page lists as `kind`. */
  async function userWithKey(authenticator: VirtualAuthenticator, username: string, kind: '(passkey)' | '(security key)'): Promise<KeyedTab> {
    const tab = await keyedTab(authenticator);
    await register(tab.page, username);
    await addPasskey(tab.page);
    await expect(tab.page.locator('tbody tr').first().textContent()).resolves.toContain(kind);
    return tab;
  }

  it('registers a passkey in the demo, signs in with it as a second factor, then without a password, and removes it', async () => {
    const tab = await userWithKey(PLATFORM_PASSKEYS, 'paula', '(passkey)');
    const { page } = tab;
    const [credential] = await credentialsOf(tab);
    expect(credential).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });

    // With the authenticator's presence off, the login page's passkey autofill waits unanswered,
    // so the password path can be taken; the key then answers the second-factor challenge.
    await logOut(page);
    await presence(tab, false);
    await logInWithPassword(page, 'paula');
    await presence(tab, true);
    await verifyWithKey(page, 'Passkey');
    expect((await credentialsOf(tab))[0]!.signCount).toBeGreaterThan(credential!.signCount);

    // Passwordless: the login page offers the passkey in the username field's autofill
    // (conditional UI), which the virtual authenticator answers at once.
    await logOut(page);
    await page.goto(`${demo.url}/account/login?next=%2Fsecret`);
    await page.waitForURL('**/secret');
    await expect(page.locator('header .badge').textContent()).resolves.toBe('verified');
    await expect(page.locator('main').textContent()).resolves.toContain('Hello paula');

    // A passkey sign-in counts as a recent verification: the device can be removed at once.
    await page.goto(`${demo.url}/devices`);
    await page.click('tbody tr >> button:has-text("Remove")');
    await page.waitForURL('**/devices?notice=*');
    await expect(page.locator('.notice').textContent()).resolves.toBe('Device removed.');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(0);

    // The authenticator still holds the passkey, but the site no longer knows it: refused, and
    // the page then offers the passkey button only, so nothing prompts again unasked.
    await logOut(page);
    await page.goto(`${demo.url}/account/login`);
    await page.waitForURL('**/account/login/passkey');
    await expect(page.locator('[data-code="passkey_refused"]').textContent()).resolves.toContain('That passkey could not sign you in');
    await expect(page.locator('form[data-otpkit-webauthn="passkey"]').getAttribute('data-otpkit-autofill')).resolves.toBeNull();
    expect(tab.errors, tab.errors.join('\n')).toEqual([]);
    await tab.context.close();
  });

  it('registers a CTAP2 roaming key with no resident key: a security key for the second factor, never a passwordless sign-in', async () => {
    const tab = await userWithKey(ROAMING_KEY, 'rocco', '(security key)');
    const { page } = tab;
    expect(await credentialsOf(tab)).toEqual([expect.objectContaining({ isResidentCredential: false })]);

    await logOut(page);
    await logInWithPassword(page, 'rocco');
    await verifyWithKey(page, 'Passkey');

    await logOut(page);
    await page.goto(`${demo.url}/account/login`);
    await page.click('button:has-text("Sign in with a passkey")');
    // The key keeps no credential the site could discover: the browser reports the failure in the page.
    await page.locator('[data-otpkit-webauthn-error]').waitFor({ state: 'visible' });
    expect(new URL(page.url()).pathname).toBe('/account/login');
    await tab.context.close();
  });
});
