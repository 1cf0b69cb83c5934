import { randomBytes } from 'node:crypto';
import {
  addDeviceColumns,
  constantTimeEqual,
  defineDevicePlugin,
  Device,
  DEVICE_COLUMNS,
  type ColumnSpec,
  type ThrottlePolicy,
} from '@otpkit/core';

// #region model
/** A printed list of numbered codes: the token is the list's secret followed by the next number. */
export class SequenceDevice extends Device {
  static override deviceType = 'sequence';
  static override tableName = 'otp_sequence_device';
  static override columns: ColumnSpec = { ...DEVICE_COLUMNS, secret: 'secret', counter: 'integer' };

  /** Sealed at rest when `secretKeys` are configured: core opens and seals `secret` columns. */
  declare secret: string;
  declare counter: number;

  /** The token this device accepts now. */
  currentToken(): string {
    return `${this.secret}${this.counter}`;
  }

  /** Runs inside core's locked transaction: compare in constant time, change state only on success. */
  checkToken(token: string): boolean {
    if (!constantTimeEqual(token, this.currentToken())) return false;
    this.counter += 1; // core writes the row, with the throttle reset and lastUsedAt
    return true;
  }
}
// #endregion model

// #region plugin
/** The options of {@link sequence}. */
export interface SequenceOptions {
  /** Throttling of failed verifications. @default { factor: 1 } */
  readonly throttle?: Partial<ThrottlePolicy>;
}

/** The sequence device plugin. */
export function sequence(options: SequenceOptions = {}) {
  return defineDevicePlugin({
    type: 'sequence',
    model: SequenceDevice,
    options: {},
    throttle: options.throttle,
    defaultName: 'Code list',
    migrations: [
      {
        name: '0001_create_device', // never rename a step once released
        async up(knex) {
          await knex.schema.createTable('otp_sequence_device', (table) => {
            addDeviceColumns(table); // id, user_id (indexed), name, confirmed, timestamps, throttling
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
// #endregion plugin
