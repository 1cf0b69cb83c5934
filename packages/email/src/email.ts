import { defineDevicePlugin, ValidationError, type CreateContext, type CreateDeviceInput, type DevicePlugin } from '@otpkit/core';
import { normalizeEmailAddress } from './email-address.js';
import { EmailDevice } from './email-device.js';
import { resolveEmailOptions, type EmailOptions } from './options.js';

/** What `createDevice('email', …)` takes besides a name: the address tokens go to (else the user's email; see {@link email}). */
export interface EmailDeviceInput {
  readonly email?: string | null;
}

/**
 * The address of a new device: the given `email`; else, for a device enrolled unconfirmed, the
 * user's address of this moment from the users directory, which the device's first code confirms.
 * A device that followed `users.email` would mail later codes to wherever the profile's address is
 * changed (often by anyone with the password), so the device keeps its own. `null` (the device
 * follows the users directory, as 0.1's did, and never carries a rescue) for a device created
 * confirmed, which no code confirmed, or when the user has no address.
 * @throws ValidationError for anything but exactly one address (no display name, no second
 * address), given or taken from the users directory.
 */
async function addressOf(input: Readonly<EmailDeviceInput & CreateDeviceInput>, { userId, users }: CreateContext): Promise<string | null> {
  const { email } = input;
  if (email !== undefined && email !== null) {
    const address = normalizeEmailAddress(typeof email === 'string' ? email.trim() : email);
    if (address === null) throw new ValidationError('email must be one email address, such as name@example.com', { field: 'email' });
    return address;
  }
  if (input.confirmed === true) return null;
  const profile = (await users.findById(userId))?.email ?? null;
  if (profile === null) return null;
  const address = normalizeEmailAddress(profile.trim());
  if (address === null) throw new ValidationError("the user's email address is not one email address: give email", { field: 'email' });
  return address;
}

/** A new or imported device's columns: its address, and no token yet. */
const emailColumns = (address: string | null) => ({ email: address, token: null, validUntil: null, lastGeneratedAt: null });

/**
 * The email device plugin: a 6-digit token by mail, valid 300 s, single use, 60 s between sends.
 * A new device takes an optional `email` (which users may give when they enrol it themselves);
 * without one, a device enrolled unconfirmed keeps the user's address of that moment, which its
 * first code confirms, and one created confirmed follows the user's address. An imported device
 * (`otp.importDevices`) takes the same `email`, and without one follows the user's address.
 * @throws ConfigurationError for bad options.
 */
export function email(options: EmailOptions): DevicePlugin<typeof EmailDevice, EmailDeviceInput> {
  const resolved = resolveEmailOptions(options);
  return defineDevicePlugin<typeof EmailDevice, EmailDeviceInput>({
    model: EmailDevice,
    options: resolved,
    throttle: resolved.throttle,
    defaultName: 'Email',
    enrolFields: ['email'],
    initialize: async (input, context) => emailColumns(await addressOf(input, context)),
    // An imported device was confirmed elsewhere: without an address of its own it follows the user's.
    restore: async (state, context) => ({ fields: emailColumns(await addressOf({ email: state.email as string | null | undefined, confirmed: true }, context)) }),
  });
}
