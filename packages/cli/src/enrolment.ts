import type { CreateDeviceInput, Device } from '@otpkit/core';
import type { CommandSession } from './command-session.js';
import { displayLines } from './display-lines.js';
import { sendRefusal } from './outcome-error.js';
import { BrowserOnlyError } from './cli-error.js';

/** Whether the plugin of `type` answers its ceremonies in a browser (it ships a browser script: WebAuthn). */
export function answeredInBrowser(session: CommandSession, type: string): boolean {
  return session.otp.plugins.some((plugin) => plugin.type === type && plugin.browserScript !== undefined);
}

/** A finished enrolment: the device and what its plugin shows the user once. */
export interface Enrolment {
  readonly device: Device;
  readonly display: Readonly<Record<string, unknown>>;
  /** Whether an existing device was re-enrolled (backup codes: new codes). */
  readonly existing: boolean;
}

/**
 * Enrols a device of `type` for the user named `username` (`Otp.enroll`). A type answered in a
 * browser (WebAuthn) only imports a credential registered elsewhere (`credential`).
 * @throws CliError for an unknown user, a browser-only ceremony, or a first token that could not be sent; what `Otp.enroll` throws.
 */
export async function enrol(session: CommandSession, type: string, username: string, input: CreateDeviceInput & Record<string, unknown>): Promise<Enrolment> {
  if (answeredInBrowser(session, type)) return importCredential(session, type, username, input);
  const user = await session.user(username);
  const outcome = await session.otp.enroll(type, user.id, input, session.meta);
  if (!outcome.ok) throw sendRefusal(outcome, session.otp.clock());
  return { device: outcome.device, display: outcome.display as Readonly<Record<string, unknown>>, existing: outcome.existing };
}

/**
 * Imports a credential registered elsewhere as a confirmed device of a type answered in a browser
 * (WebAuthn), the one enrolment the command line can make for it.
 * @throws BrowserOnlyError without a `credential` field: a registration needs a browser.
 */
async function importCredential(session: CommandSession, type: string, username: string, input: CreateDeviceInput & Record<string, unknown>): Promise<Enrolment> {
  if (input.credential === undefined) {
    throw new BrowserOnlyError(
      `${type} devices are registered in a browser (your site's pages or its JSON API); here you can list and remove them, or import a credential: otpkit enroll ${type} <username> --field 'credential:={"id":…,"publicKey":…}'`,
    );
  }
  const user = await session.user(username);
  const device = await session.otp.createDevice(type, user.id, { ...input, confirmed: true }, session.meta);
  return { device, display: {}, existing: false };
}

/**
 * Prints an enrolment: with `--json`, the device and the display as they are; otherwise a line
 * naming the device (unless `headed` is false), the display's lines, and how to confirm an
 * unconfirmed device.
 */
export async function printEnrolment(session: CommandSession, { device, display, existing }: Enrolment, headed = true): Promise<void> {
  const { persistentId, deviceType: type, name, confirmed } = device;
  const lines = await displayLines(display);
  if (headed) lines.unshift(`${existing ? 'Re-enrolled' : 'Enrolled'} ${persistentId} (${name})${confirmed ? '' : ', unconfirmed'}.`);
  if (!confirmed) lines.push(`Confirm it with a token from the device: otpkit confirm ${persistentId} <token>`);
  session.print({ persistentId, type, name, confirmed, existing, display }, lines);
}
