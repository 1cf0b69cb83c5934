import { defineDevicePlugin, ValidationError, type DevicePlugin } from '@otpkit/core';
import { normalizeEmailAddress } from './email-address.js';
import { EmailDevice } from './email-device.js';
import { resolveEmailOptions, type EmailOptions } from './options.js';

/** What `createDevice('email', …)` takes besides a name: the address tokens go to (else the user's email). */
export interface EmailDeviceInput {
  readonly email?: string | null;
}

/**
 * Reads the optional `email` of a new device.
 * @throws ValidationError for anything but exactly one address (no display name, no second address).
 */
function emailField(input: EmailDeviceInput): string | null {
  const { email } = input;
  if (email === undefined || email === null) return null;
  const address = normalizeEmailAddress(typeof email === 'string' ? email.trim() : email);
  if (address === null) throw new ValidationError('email must be one email address, such as name@example.com', { field: 'email' });
  return address;
}

/**
 * The email device plugin: a 6-digit token by mail, valid 300 s, single use, 60 s between sends.
 * A new device takes an optional `email`; without one, tokens go to the user's email.
 * @throws ConfigurationError for bad options.
 */
export function email(options: EmailOptions): DevicePlugin<typeof EmailDevice, EmailDeviceInput> {
  const resolved = resolveEmailOptions(options);
  return defineDevicePlugin<typeof EmailDevice, EmailDeviceInput>({
    model: EmailDevice,
    options: resolved,
    throttle: resolved.throttle,
    defaultName: 'Email',
    initialize: (input) => ({ email: emailField(input), token: null, validUntil: null, lastGeneratedAt: null }),
  });
}
