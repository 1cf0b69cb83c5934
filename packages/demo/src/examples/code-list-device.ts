import { randomBytes } from 'node:crypto';
import {
  ConfigurationError,
  constantTimeEqual,
  defineDevicePlugin,
  Device,
  type CheckResult,
  type EnrolmentResult,
  type ThrottlePolicy,
  type VerifyContext,
} from '@otpkit/core';

// #region model
/**
 * A printed list of numbered codes, used in order: line `n` reads `n` followed by the list's
 * secret (`3K7Q2M9XA4F`), and the list runs out after `length` codes.
 */
export class CodeListDevice extends Device<CodeListOptions> {
  static override readonly deviceType = 'codelist';
  static override tableName = 'otp_codelist_device';
  /** Declared once: core derives the table, its migration, the statements and the sealing of `secret`. */
  static override readonly columns = { secret: 'secret', used: 'integer' } as const;

  /** How many codes of the list were used. */
  declare used: number;

  /** The code on line `line` (1-based) of the printed list: opens the sealed secret. */
  code(line: number): string {
    return `${line}${this.revealSecret('secret')}`;
  }

  /** How many unused codes are left. */
  get remaining(): number {
    return this.options.length - this.used;
  }

  /** Pure: compares in constant time and returns the change; core writes it under the row lock. */
  check(token: string, context: VerifyContext): CheckResult<CodeListDevice> {
    const expected = `${this.used + 1}${context.secret('secret')}`; // the secret, opened for this check only
    if (this.remaining <= 0 || !constantTimeEqual(token, expected)) return null;
    return { patch: { used: this.used + 1 } }; // core also resets the throttle and stamps lastUsedAt
  }

  /** What `otp.enroll('codelist', user)` shows once: the list to print. */
  override async enroll(): Promise<EnrolmentResult<{ readonly codes: readonly string[] }>> {
    return { display: { codes: Array.from({ length: this.options.length }, (_, index) => this.code(index + 1)) } };
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
    model: CodeListDevice, // its deviceType names the plugin; its columns make the migration
    options,
    throttle: options.throttle,
    defaultName: 'Printed codes',
    initialize: () => ({ secret: randomBytes(5).toString('hex').toUpperCase(), used: 0 }),
  });
}
// #endregion plugin
