/**
 * A tiny device plugin that exists only to prove the contract suite before real plugins exist:
 * its token is its secret followed by its counter (`K7Q2M9XA` + `0`), and each success advances
 * the counter, so every token is single use.
 */
import { randomBytes } from 'node:crypto';
import { constantTimeEqual, defineDevicePlugin, Device, type CheckResult, type VerifyContext } from '../index.js';

export class SequenceDevice extends Device {
  static override readonly deviceType = 'sequence';
  static override tableName = 'otp_sequence_device';
  static override readonly columns = { secret: 'secret', counter: 'integer' } as const;

  declare counter: number;

  /** The token this device accepts now (tests only: it opens the sealed secret). */
  currentToken(): string {
    return `${this.revealSecret('secret')}${this.counter}`;
  }

  check(token: string, context: VerifyContext): CheckResult<SequenceDevice> {
    if (!constantTimeEqual(token, `${context.secret('secret')}${this.counter}`)) return null;
    return { patch: { counter: this.counter + 1 } };
  }
}

export function sequence(throttleFactor = 1) {
  return defineDevicePlugin({
    model: SequenceDevice,
    options: {},
    throttle: { factor: throttleFactor },
    initialize: () => ({ secret: randomBytes(6).toString('hex').toUpperCase(), counter: 0 }),
  });
}
