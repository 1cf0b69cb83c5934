import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnEachBackend } from '@otpkit/core/testing';
import { signInFixture } from '../../packages/signin/src/test-support/signin-fixture.js';
import { launchChromium } from '../support/chromium.js';
import { haveTools } from '../support/external-tools.js';
import { signInApp } from './support/sign-in-app.js';

/** A host name Chromium resolves to loopback: another site than the app's 127.0.0.1, as a web mail is. */
const WEBMAIL = 'webmail.test';

/** What the page's own script does: asks for a magic link with fetch; the answer's status. */
function askForLink(page: Page, email: string): Promise<number> {
  return page.evaluate(async (address) => {
    const answer = await fetch('/api/2fa/signin/link', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: address }) });
    return answer.status;
  }, email);
}

/**
 * Who the browser is signed in as, the way a single-page application of the site learns it: a
 * refresh with the readable CSRF cookie (the browser adds the HttpOnly refresh cookie), then the
 * API with the new access token. `null` when the refresh is refused. Also whether the page's
 * script could see the refresh cookie.
 */
async function signedInAs(page: Page, site: string): Promise<{ user: string | null; scriptSeesRefreshToken: boolean }> {
  await page.goto(`${site}/whoami`);
  return page.evaluate(async () => {
    const cookies = (globalThis as unknown as { document: { cookie: string } }).document.cookie;
    const csrf = /(?:^|; )otpkit-csrf=([^;]+)/.exec(cookies)?.[1] ?? '';
    const refreshed = await fetch('/api/2fa/tokens/refresh', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{}' });
    const scriptSeesRefreshToken = cookies.includes('otpkit-refresh');
    if (!refreshed.ok) return { user: null, scriptSeesRefreshToken };
    const { accessToken } = (await refreshed.json()) as { accessToken: string };
    const me = await fetch('/tokens/me', { headers: { authorization: `Bearer ${accessToken}` } });
    return { user: ((await me.json()) as { token: { sub: string } }).token.sub, scriptSeesRefreshToken };
  });
}

describe.runIf(haveTools('chromium'))('with chromium', () => {
  describeOnEachBackend(
    'magic links in Chromium',
    (block) => {
      const fixture = signInFixture(block);
      const app = signInApp(fixture, { tokens: true });
      let browser: Browser;

      beforeAll(async () => {
        browser = await launchChromium([`--host-resolver-rules=MAP ${WEBMAIL} 127.0.0.1`]);
      });
      afterAll(async () => {
        await browser?.close();
      });

      /** A new browser (context) on the app's origin. */
      async function openBrowser(): Promise<Page> {
        const page = await (await browser.newContext()).newPage();
        await page.goto(`${app.server.url}/whoami`);
        return page;
      }

      /** A user with a login inbox who asked for a magic link in a new browser: that browser's page, and the link read from the mail. */
      async function linkAskedInNewBrowser(): Promise<{ userId: string; page: Page; link: string }> {
        const { userId, email } = await fixture.emailUser();
        const page = await openBrowser();
        expect(await askForLink(page, email)).toBe(202);
        return { userId, page, link: await app.linkUrlTo(email) };
      }

      it('requests a link, reads the mail from the SMTP sink, opens the link in the same browser and lands signed in', async () => {
        const { userId, page, link } = await linkAskedInNewBrowser();
        await page.goto(link);
        expect(new URL(page.url()).pathname).toBe('/');
        expect(await signedInAs(page, app.server.url)).toEqual({ user: userId, scriptSeesRefreshToken: false });
        const refresh = (await page.context().cookies()).find((cookie) => cookie.name === 'otpkit-refresh');
        expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/2fa/tokens' });
        await page.goto(link);
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Link expired');
        await page.context().close();
      });

      it('a link clicked in a web mail on another site still finds the asking browser: signed in without a question', async () => {
        const { userId, page, link } = await linkAskedInNewBrowser();
        await page.context().route(`http://${WEBMAIL}/**`, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>Inbox</title><a href="${link}">Sign in</a>` }));
        await page.goto(`http://${WEBMAIL}/inbox`);
        await page.getByRole('link', { name: 'Sign in' }).click();
        await page.waitForURL(`${app.server.url}/`);
        expect((await signedInAs(page, app.server.url)).user).toBe(userId);
        await page.context().close();
      });

      it('forwarded magic link asks before signing in: another browser gets the question, and a session only once it confirms', async () => {
        const { userId, page: asker, link } = await linkAskedInNewBrowser();
        const other = await openBrowser();
        const scripts: string[] = [];
        other.on('request', (request) => void (request.resourceType() === 'script' && scripts.push(request.url())));
        await other.goto(link);
        await expect(other.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in on this browser?');
        expect(scripts).toEqual([]);
        expect((await signedInAs(other, app.server.url)).user).toBeNull();
        await other.goto(link);
        await other.getByRole('button', { name: 'Sign in on this browser' }).click();
        await other.waitForURL(`${app.server.url}/`);
        expect((await signedInAs(other, app.server.url)).user).toBe(userId);
        await asker.goto(link);
        await expect(asker.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Link expired');
        expect((await signedInAs(asker, app.server.url)).user).toBeNull();
        await asker.context().close();
        await other.context().close();
      });
    },
    { poolSize: 12 },
  );
});
