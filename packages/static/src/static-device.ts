import { Device, DeviceNotFoundError, OtpError, StorageError, ValidationError, type DigestRows, type EventMeta, type SecretBinding, type VerifyContext } from '@otpkit/core';
import type { Knex } from 'knex';
import { canonicalChosenCode, canonicalCode, randomBackupCode } from './backup-code.js';
import type { StaticTokensOptions } from './options.js';
import { StaticToken } from './static-token.js';

/**
 * A list of single-use backup codes. Codes are stored as digests only; they are returned in clear
 * once, when generated ({@link StaticDevice.regenerateTokens}, {@link StaticDevice.addToken}).
 */
export class StaticDevice extends Device {
  static override deviceType = 'static';
  static override tableName = 'otp_static_device';
  static override digests: DigestRows = { table: StaticToken.tableName, column: 'token_hash', deviceColumn: 'device_id' };

  /** This device's plugin options. */
  protected get staticOptions(): StaticTokensOptions {
    return this.runtime.options as StaticTokensOptions;
  }

  /**
   * Consumes the code if the device has it: a single `DELETE` of this device's row with a
   * matching digest (under any configured key, bound to this device and its owner), run in the
   * verification's locked transaction. With keys configured, an unkeyed digest never matches.
   */
  async checkToken(token: string, context: VerifyContext): Promise<boolean> {
    const candidates = context.secretBox.digestCandidates(canonicalCode(token), this.#binding());
    const placeholders = candidates.map(() => '?').join(', ');
    const deleted = await context.execute(
      `DELETE FROM ${StaticToken.tableName} WHERE device_id = ? AND token_hash IN (${placeholders})`,
      [this.id, ...candidates],
    );
    return deleted > 0;
  }

  /**
   * Replaces every code of this device with `count` fresh random ones, in one transaction, then
   * reports `backupCodesRegenerated` with `meta` (who asked).
   * @param count how many codes, 1 to 100. @default the plugin's `count` option
   * @returns the new codes in clear, grouped for display: the only time they can be read.
   * @throws ValidationError for a bad `count`; DeviceNotFoundError when the device was removed.
   */
  async regenerateTokens(count: number = this.staticOptions.count, meta?: EventMeta): Promise<string[]> {
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      throw new ValidationError('count must be an integer from 1 to 100', { field: 'count' });
    }
    const codes = new Map<string, string>();
    while (codes.size < count) {
      const code = randomBackupCode(this.staticOptions);
      codes.set(canonicalChosenCode(code), code);
    }
    await this.#whileLocked(async (trx) => {
      await StaticToken.query(trx).delete().where('device_id', this.id);
      await trx(StaticToken.tableName).insert([...codes.keys()].map((canonical) => this.#row(canonical)));
    });
    await this.runtime.service.recordEvent({ type: 'backupCodesRegenerated', userId: this.userId, deviceId: this.persistentId, count }, meta);
    return [...codes.values()];
  }

  /**
   * Adds one code: `token` when given (letters and digits; spaces, dashes and case do not matter),
   * else a random one; then reports `backupCodeAdded` with `meta` (who asked).
   * @returns the code in clear (grouped for display when random).
   * @throws ValidationError when `token` is malformed or the device already has it;
   *   DeviceNotFoundError when the device was removed.
   */
  async addToken(token?: string, meta?: EventMeta): Promise<string> {
    const added = await this.#whileLocked(async (trx) => {
      for (;;) {
        const code = token ?? randomBackupCode(this.staticOptions);
        const canonical = canonicalChosenCode(code);
        const existing = await StaticToken.query(trx)
          .where('device_id', this.id)
          .whereIn('token_hash', this.runtime.secretBox.digestCandidates(canonical, this.#binding()))
          .resultSize();
        if (existing === 0) {
          await trx(StaticToken.tableName).insert(this.#row(canonical));
          return code.trim();
        }
        if (token !== undefined) throw new ValidationError('The device already has this backup code', { field: 'token' });
      }
    });
    await this.runtime.service.recordEvent({ type: 'backupCodeAdded', userId: this.userId, deviceId: this.persistentId }, meta);
    return added;
  }

  /** How many unused codes this device has left. */
  async remainingTokens(): Promise<number> {
    return this.#transaction((trx) => StaticToken.query(trx).where('device_id', this.id).resultSize());
  }

  /** The `otp_static_token` row of a code (objection cannot batch-insert on every backend). */
  #row(canonical: string): Record<string, unknown> {
    return { device_id: this.id, token_hash: this.runtime.secretBox.digest(canonical, this.#binding()) };
  }

  /** What this device's digests are bound to: the token table, this device and its owner. */
  #binding(): SecretBinding {
    const { table, column } = StaticDevice.digests;
    return { table, column, id: this.id, userId: this.userId };
  }

  #knex(): Knex {
    return (this.constructor as typeof StaticDevice).knex();
  }

  /**
   * Runs `work` in a transaction holding this device's row lock, so changes to its codes are
   * serialized with each other and with verifications.
   * @throws DeviceNotFoundError when the device was removed.
   */
  #whileLocked<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.#transaction(async (trx) => {
      const model = this.constructor as typeof StaticDevice;
      const found = await trx(model.tableName).select('id').where('id', this.id).forUpdate().first();
      if (found === undefined) throw new DeviceNotFoundError();
      return work(trx);
    });
  }

  /** Runs `work` in a transaction; database failures become a `StorageError`. */
  async #transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    try {
      return await this.#knex().transaction(work);
    } catch (error) {
      if (error instanceof OtpError) throw error;
      throw new StorageError({ cause: error });
    }
  }
}
