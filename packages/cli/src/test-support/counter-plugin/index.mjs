// A device plugin built the way a third party builds one, on @otpkit/core alone, so that the
// command line is tested with no plugin of its own family: a device's token is its secret followed
// by its counter (`K7Q2M9XA4F1B0`), and each success advances the counter.
import { randomBytes } from 'node:crypto';
import { constantTimeEqual, defineDevicePlugin, Device } from '@otpkit/core';

/** A new device's fields: a random secret, counter 0. */
const newDevice = () => ({ secret: randomBytes(6).toString('hex').toUpperCase(), counter: 0 });

export class CounterDevice extends Device {
  static deviceType = 'counter';
  static tableName = 'otp_counter_device';
  static columns = { secret: 'secret', counter: 'integer' };

  check(token, context) {
    return constantTimeEqual(token, `${context.secret('secret')}${this.counter}`) ? { patch: { counter: this.counter + 1 } } : null;
  }

  /** Shows the token the device accepts next, when it was made, and a picture of it for web pages. */
  async enroll() {
    const nextToken = `${this.revealSecret('secret')}${this.counter}`;
    return { display: { nextToken, createdAt: this.createdAt, picture: `data:text/plain,${nextToken}` } };
  }
}

/** The plugin; `label` names new devices (from COUNTER_LABEL in DATABASE_URL mode). */
export function counter(options = {}) {
  return defineDevicePlugin({
    model: CounterDevice,
    options,
    defaultName: options.label ?? 'Counter',
    initialize: newDevice,
  });
}

/** The same device under another type, for a second installed plugin. */
export class TallyDevice extends CounterDevice {
  static deviceType = 'tally';
  static tableName = 'otp_tally_device';
}

/** The tally plugin. */
export function tally() {
  return defineDevicePlugin({
    model: TallyDevice,
    options: {},
    initialize: newDevice,
  });
}
