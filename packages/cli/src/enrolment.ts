import type { CreateDeviceInput, Device } from '@otpkit/core';
import type { CommandSession } from './command-session.js';
import { displayLines } from './display-lines.js';
import { sendRefusal } from './outcome-error.js';

/** A finished enrolment: the device and what its plugin shows the user once. */
export interface Enrolment {
  readonly device: Device;
  readonly display: Readonly<Record<string, unknown>>;
  /** Whether an existing device was re-enrolled (backup codes: new codes). */
  readonly existing: boolean;
}

/**
 * Enrols a device of `type` for the user named `username` (`Otp.enroll`).
 * @throws CliError for an unknown user or a first token that could not be sent; what `Otp.enroll` throws.
 */
export async function enrol(session: CommandSession, type: string, username: string, input: CreateDeviceInput & Record<string, unknown>): Promise<Enrolment> {
  const user = await session.user(username);
  const outcome = await session.otp.enroll(type, user.id, input, session.meta);
  if (!outcome.ok) throw sendRefusal(outcome, session.otp.clock());
  return { device: outcome.device, display: outcome.display as Readonly<Record<string, unknown>>, existing: outcome.existing };
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
