import type { Command } from 'commander';
import { BrowserOnlyError } from '../cli-error.js';
import { answeredInBrowser } from '../enrolment.js';
import { sendRefusal } from '../outcome-error.js';
import type { RunCommand } from '../run-command.js';

/** `otpkit challenge <persistent-id>`: asks a device that sends its tokens (email, SMS) to send one. */
export function registerChallenge(program: Command, run: RunCommand): void {
  program
    .command('challenge')
    .description('ask a device that sends its tokens (email, SMS) to send one, for otpkit verify or confirm')
    .argument('<persistent-id>', 'the device, as <type>/<id> (see otpkit devices)')
    .action((persistentId: string, _options, command: Command) =>
      run(command, async (session) => {
        const device = await session.device(persistentId);
        if (answeredInBrowser(session, device.deviceType)) {
          throw new BrowserOnlyError(`${device.persistentId} is answered in a browser: its challenges come from your site's pages or JSON API (POST /challenge)`);
        }
        const sent = await session.otp.generateChallenge(device.userId, device.persistentId, {}, session.meta);
        if (!sent.ok) throw sendRefusal(sent, session.otp.clock());
        const validUntil = new Date(sent.validUntil).toISOString();
        session.print({ persistentId: device.persistentId, message: sent.message, validUntil }, `${device.persistentId} (${device.name}): ${sent.message}; valid until ${validUntil}.`);
      }),
    );
}
