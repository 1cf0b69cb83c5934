import { defineDevicePlugin, ValidationError, type DevicePlugin } from '@otpkit/core';
import { EmailDevice } from './email-device.js';
import { emailMigrations } from './migrations.js';
import { resolveEmailOptions, type EmailOptions, type ResolvedEmailOptions } from './options.js';

const ADDRESS = /^[^\s@]+@[^\s@]+$/;

/**
 * Reads the optional `email` of a new device.
 * @throws ValidationError for something that is not an address.
 */
function emailField(input: Readonly<Record<string, unknown>>): string | null {
  const { email } = input;
  if (email === undefined || email === null) return null;
  const address = typeof email === 'string' ? email.trim() : '';
  if (address.length > 254 || !ADDRESS.test(address)) {
    throw new ValidationError('email must be an email address', { field: 'email' });
  }
  return address;
}

/**
 * The email device plugin: a 6-digit token by mail, valid 300 s, single use, 60 s between sends.
 * A new device takes an optional `email`; without one, tokens go to the user's email.
 * @throws ConfigurationError for bad options.
 */
export function email(options: EmailOptions): DevicePlugin<EmailDevice, ResolvedEmailOptions> {
  const resolved = resolveEmailOptions(options);
  return defineDevicePlugin({
    type: 'email',
    model: EmailDevice,
    options: resolved,
    throttle: resolved.throttle,
    migrations: emailMigrations,
    defaultName: 'Email',
    initialize: (input) => ({ email: emailField(input), token: null, validUntil: null, lastGeneratedAt: null }),
  });
}
