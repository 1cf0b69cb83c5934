import { randomBytes } from 'node:crypto';
import {
  addDeviceColumns,
  createOtpTable,
  ConfigurationError,
  constantTimeEqual,
  defineDevicePlugin,
  Device,
  DEVICE_COLUMNS,
  type ColumnSpec,
  type ThrottlePolicy,
  type VerifyContext,
} from '@otpkit/core';

// #region model
/**
 * A printed list of numbered codes, used in order: line `n` reads `n` followed by the list's
 * secret (`3K7Q2M9XA4F`), and the list runs out after `length` codes.
 */
export class CodeListDevice extends Device {
  static override deviceType = 'codelist';
  static override tableName = 'otp_codelist_device';
  static override columns: ColumnSpec = { ...DEVICE_COLUMNS, secret: 'secret', used: 'integer' };

  /** How many codes of the list were used. */
  declare used: number;

  /** The code on line `line` (1-based) of the printed list, for printing it once: opens the sealed secret. */
  code(line: number): string {
    return `${line}${this.revealSecret('secret')}`;
  }

  /** How many unused codes are left. */
  get remaining(): number {
    return (this.runtime.options as CodeListOptions).length - this.used;
  }

  /** Runs inside core's locked transaction: compare in constant time, change state only on success. */
  checkToken(token: string, context: VerifyContext): boolean {
    const expected = `${this.used + 1}${context.secret('secret')}`; // the secret, opened for this check only
    if (this.remaining <= 0 || !constantTimeEqual(token, expected)) return false;
    this.used += 1; // core writes the row, with the throttle reset and lastUsedAt
    return true;
  }
}
// #endregion model

// #region plugin
/** The options of {@link codeList}. */
export interface CodeListOptions {
  /** Codes on a printed list (1 to 100). @default 20 */
  readonly length: number;
  /** Throttling of failed verifications. @default { factor: 1 } */
  readonly throttle: Partial<ThrottlePolicy>;
}

/** The code-list device plugin. @throws ConfigurationError for bad options. */
export function codeList(input: Partial<CodeListOptions> = {}) {
  const options: CodeListOptions = { length: 20, throttle: { factor: 1 }, ...input };
  if (!Number.isInteger(options.length) || options.length < 1 || options.length > 100) {
    throw new ConfigurationError('codeList: length must be an integer from 1 to 100');
  }
  return defineDevicePlugin({
    type: 'codelist',
    model: CodeListDevice,
    options,
    throttle: options.throttle,
    defaultName: 'Printed codes',
    migrations: [
      {
        name: '0001_create_device', // recorded as codelist/0001_create_device: never rename it
        async up(knex) {
          await createOtpTable(knex, 'otp_codelist_device', (table) => {
            addDeviceColumns(table); // id, user_id (indexed), name, confirmed, timestamps, throttling
            table.string('secret', 255).notNullable();
            table.integer('used').notNullable();
          });
        },
        async down(knex) {
          await knex.schema.dropTable('otp_codelist_device');
        },
      },
    ],
    initialize: () => ({ secret: randomBytes(5).toString('hex').toUpperCase(), used: 0 }),
  });
}
// #endregion plugin
