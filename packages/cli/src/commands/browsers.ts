import { InvalidArgumentError, type Command } from 'commander';
import type { RememberedBrowser } from '@otpkit/core';
import { UnknownBrowserError } from '../cli-error.js';
import type { RunCommand } from '../run-command.js';

/** A browser id argument: a positive whole number. */
function browserId(value: string): number {
  if (!/^[1-9][0-9]{0,14}$/.test(value)) throw new InvalidArgumentError('a browser id from otpkit browsers <username>');
  return Number(value);
}

const when = (epochMs: number) => new Date(epochMs).toISOString();

function browserLine(browser: RememberedBrowser): string {
  return `${browser.id}  ${browser.deviceId}  remembered ${when(browser.createdAt)}  last seen ${when(browser.lastSeenAt)}  expires ${when(browser.expiresAt)}  ${browser.userAgent ?? 'unknown browser'}`;
}

/**
 * `otpkit browsers <username> [--forget ID | --all]`: lists a user's remembered browsers, or
 * revokes one of them or all of them.
 */
export function registerBrowsers(program: Command, run: RunCommand): void {
  program
    .command('browsers')
    .description("list a user's remembered browsers, or revoke one (--forget ID) or all (--all)")
    .argument('<username>', "the user's username")
    .option('--forget <id>', 'revoke the remembered browser with this id', browserId)
    .option('--all', 'revoke every remembered browser of the user')
    .action((username: string, options: { forget?: number; all?: boolean }, command: Command) =>
      run(command, async (session) => {
        const user = await session.user(username);
        if (options.all === true) {
          const forgotten = await session.otp.browsers.forgetAll(user.id, session.meta);
          session.print({ forgotten }, `Forgot ${forgotten} remembered browser${forgotten === 1 ? '' : 's'} of ${username}.`);
        } else if (options.forget !== undefined) {
          if (!(await session.otp.browsers.forget(user.id, options.forget, session.meta))) throw new UnknownBrowserError();
          session.print({ forgotten: 1 }, `Forgot remembered browser ${options.forget} of ${username}.`);
        } else {
          const browsers = await session.otp.browsers.list(user.id);
          session.print(browsers, browsers.length === 0 ? `${username} has no remembered browsers.` : browsers.map(browserLine));
        }
      }),
    );
}
