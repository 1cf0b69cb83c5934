import type { Knex } from 'knex';
import type { DeviceClass } from '../device.js';
import { stored } from './stored.js';

/**
 * Resets a user's throttles in one transaction: the guessing budget in `otp_user_throttle`
 * (locked first, as every verification locks it, so the two never deadlock) and the failure count
 * of each of the user's devices. The daily send counts are not touched.
 * @returns whether anything had a failure counted.
 */
export function resetUserThrottle(knex: Knex, models: readonly DeviceClass[], owner: string): Promise<boolean> {
  return stored(() =>
    knex.transaction(async (trx) => {
      let reset: number = await trx('otp_user_throttle')
        .update({ failure_count: 0, last_failure_at: null })
        .where('user_id', owner)
        .where((failed) => failed.where('failure_count', '>', 0).orWhereNotNull('last_failure_at'));
      for (const model of models) {
        reset += await trx(model.tableName)
          .update({ throttling_failure_count: 0, throttling_failure_timestamp: null })
          .where('user_id', owner)
          .where((failed) => failed.where('throttling_failure_count', '>', 0).orWhereNotNull('throttling_failure_timestamp'));
      }
      return reset > 0;
    }),
  );
}
