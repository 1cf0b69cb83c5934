import { chromium, type Browser } from 'playwright-core';

/** The flags every test browser runs with: headless, no sandbox (containers), nothing fetched in the background. */
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's Chromium (`/usr/bin/chromium`) through playwright-core, with `extraFlags` after the usual ones. */
export function launchChromium(extraFlags: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_FLAGS, ...extraFlags] });
}
