import { Device, ValidationError, type CheckResult, type EnrolContext, type EnrolmentResult, type VerifyContext } from '@otpkit/core';
import { canonicalChosenCode, canonicalCode, randomBackupCode } from './backup-code.js';
import type { StaticTokensOptions } from './options.js';

/** What the enrolment of backup codes shows once: the new codes, in clear, grouped for display. */
export interface BackupCodesEnrolment {
  readonly codes: readonly string[];
}

/**
 * A list of single-use backup codes. Codes are child rows holding keyed digests only; they are
 * shown in clear once, when enrolment makes them (`otp.enroll('static', user)`, `addStaticToken`).
 */
export class StaticDevice extends Device<StaticTokensOptions> {
  static override readonly deviceType = 'static';
  static override tableName = 'otp_static_device';
  static override readonly children = { codes: { table: 'otp_static_token', columns: { tokenHash: 'digest' } } } as const;

  /**
   * Accepts a code the device has (under any configured key; with keys configured an unkeyed
   * digest never matches); the change consumes it.
   */
  check(token: string, context: VerifyContext): CheckResult<StaticDevice> {
    const code = context.findChild('codes', { tokenHash: canonicalCode(token) });
    return code === null ? null : { consume: { codes: code.id } };
  }

  /**
   * Enrolment replaces every code with `count` fresh random ones (input `count`, 1 to 100; default
   * the plugin's `count`), or, with input `add`, adds one code: the given one (letters and digits;
   * spaces, dashes and case do not matter) or, for `add: true`, a random one.
   * @throws ValidationError for a bad `count`, or a malformed or duplicate `add` code.
   */
  override async enroll(context: EnrolContext): Promise<EnrolmentResult<BackupCodesEnrolment>> {
    const { add, count = this.options.count } = context.input;
    if (add !== undefined) {
      const code = await this.#add(context, add);
      // Reported for a new device too: its deviceAdded does not say that one code was issued.
      await context.report({ type: 'backupCodeAdded' });
      return { display: { codes: [code] } };
    }
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 100) {
      throw new ValidationError('count must be an integer from 1 to 100', { field: 'count' });
    }
    const codes = new Map<string, string>();
    while (codes.size < count) {
      const code = randomBackupCode(this.options);
      codes.set(canonicalChosenCode(code), code);
    }
    await context.children.replace('codes', [...codes.keys()].map((canonical) => ({ tokenHash: canonical })));
    if (context.existing) await context.report({ type: 'backupCodesRegenerated', count });
    return { display: { codes: [...codes.values()] } };
  }

  /** How many unused codes this device has left. */
  override remainingTokens(): Promise<number> {
    return this.runtime.children.count(this, 'codes');
  }

  /** Adds `add` (a code, or `true` for a random one); returns it in clear. */
  async #add(context: EnrolContext, add: unknown): Promise<string> {
    if (add !== true && typeof add !== 'string') throw new ValidationError('add must be a code or true', { field: 'add' });
    for (;;) {
      const code = add === true ? randomBackupCode(this.options) : add;
      if (await context.children.add('codes', { tokenHash: canonicalChosenCode(code) })) return code.trim();
      if (add !== true) throw new ValidationError('The device already has this backup code', { field: 'token' });
    }
  }
}
