/**
 * A tiny device plugin that exists only to prove the contract suite before real plugins exist:
 * its token is its secret followed by its counter (`K7Q2M9XA` + `0`), and each success advances
 * the counter, so every token is single use.
 */
import { randomBytes } from 'node:crypto';
import { addDeviceColumns, createOtpTable, constantTimeEqual, defineDevicePlugin, Device, DEVICE_COLUMNS, type ColumnSpec, type VerifyContext } from '../index.js';

export class SequenceDevice extends Device {
  static override deviceType = 'sequence';
  static override tableName = 'otp_sequence_device';
  static override columns: ColumnSpec = { ...DEVICE_COLUMNS, secret: 'secret', counter: 'integer' };

  declare counter: number;

  /** The token this device accepts now (tests only: it opens the sealed secret). */
  currentToken(): string {
    return `${this.revealSecret('secret')}${this.counter}`;
  }

  checkToken(token: string, context: VerifyContext): boolean {
    if (!constantTimeEqual(token, `${context.secret('secret')}${this.counter}`)) return false;
    this.counter += 1;
    return true;
  }
}

export function sequence(throttleFactor = 1) {
  return defineDevicePlugin({
    type: 'sequence',
    model: SequenceDevice,
    options: {},
    throttle: { factor: throttleFactor },
    migrations: [
      {
        name: '0001_create_device',
        async up(knex) {
          await createOtpTable(knex, 'otp_sequence_device', (table) => {
            addDeviceColumns(table);
            table.string('secret', 255).notNullable();
            table.integer('counter').notNullable();
          });
        },
        async down(knex) {
          await knex.schema.dropTable('otp_sequence_device');
        },
      },
    ],
    initialize: () => ({ secret: randomBytes(6).toString('hex').toUpperCase(), counter: 0 }),
  });
}
