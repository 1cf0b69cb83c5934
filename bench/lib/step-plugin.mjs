/**
 * A bench-only device plugin with a TOTP-shaped verification and no OATH arithmetic: its token is
 * its secret followed by the current 30-second time step (`K7Q2M9XA12345`), each time step is
 * accepted once (`lastStep`), and a success writes the row like a TOTP device does. It lets the
 * benchmark measure core's verification path on its own.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { addDeviceColumns, constantTimeEqual, defineDevicePlugin, Device, DEVICE_COLUMNS } from '@otpkit/core';

const STEP_MS = 30_000;

export class StepDevice extends Device {
  static deviceType = 'step';
  static tableName = 'otp_step_device';
  static columns = { ...DEVICE_COLUMNS, secret: 'secret', lastStep: 'integer' };

  checkToken(token, context) {
    const step = Math.floor(context.now / STEP_MS);
    if (step <= this.lastStep || !constantTimeEqual(token, `${this.secret}${step}`)) return false;
    this.lastStep = step;
    return true;
  }
}

/** The token every step device with `secret` accepts at `nowMs`. */
export function stepToken(secret, nowMs) {
  return `${secret}${Math.floor(nowMs / STEP_MS)}`;
}

/** The plugin; `throttleFactor` 0 turns throttling off. */
export function step(throttleFactor = 1) {
  return defineDevicePlugin({
    type: 'step',
    model: StepDevice,
    options: {},
    throttle: { factor: throttleFactor },
    migrations: [
      {
        name: '0001_create_device',
        async up(knex) {
          await knex.schema.createTable('otp_step_device', (table) => {
            addDeviceColumns(table);
            table.string('secret', 255).notNullable();
            table.bigInteger('last_step').notNullable();
          });
        },
        async down(knex) {
          await knex.schema.dropTable('otp_step_device');
        },
      },
    ],
    initialize: () => ({ secret: randomBytes(6).toString('hex').toUpperCase(), lastStep: -1 }),
  });
}
