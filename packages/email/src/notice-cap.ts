import { StorageError, type Otp } from '@otpkit/core';
import { NOTICE_TABLE } from './notice-migrations.js';

/** A notice window: 24 hours from its first notice. */
export const NOTICE_WINDOW_MS = 86_400_000;

/**
 * Each user's daily notice budget, in `otp_account_notice`: every process of the application
 * counts in the same row, with one conditional UPDATE, so racing notices cannot pass the cap.
 */
export class NoticeCap {
  readonly #knex: Otp['knex'];
  readonly #perDay: number;

  constructor(knex: Otp['knex'], perDay: number) {
    this.#knex = knex;
    this.#perDay = perDay;
  }

  /**
   * Counts one notice to `userId` at `now` (epoch ms): `false`, counting nothing, when the user's
   * window already holds `perDay` notices.
   * @throws StorageError when the table is missing (`AccountNotices.migrate()`) or unreachable.
   */
  async take(userId: string, now: number): Promise<boolean> {
    const expired = 'window_start IS NULL OR window_start <= ?';
    const cutoff = now - NOTICE_WINDOW_MS;
    return this.#update(userId, (row) =>
      row
        .where((window) => window.whereNull('window_start').orWhere('window_start', '<=', cutoff).orWhere('sent_count', '<', this.#perDay))
        // sent_count first: MySQL evaluates assignments in order, and window_start's must see the old start.
        .update({
          sent_count: this.#knex.raw(`CASE WHEN ${expired} THEN 1 ELSE sent_count + 1 END`, [cutoff]),
          window_start: this.#knex.raw(`CASE WHEN ${expired} THEN ? ELSE window_start END`, [cutoff, now]),
        }),
    );
  }

  /**
   * Records a `throttled` notice to `userId` at `now`: `false` when one was recorded in the last 24
   * hours (every refused attempt while throttled reports the event; the user needs to hear once).
   * @throws StorageError as {@link NoticeCap.take}.
   */
  async takeThrottled(userId: string, now: number): Promise<boolean> {
    return this.#update(userId, (row) =>
      row.where((last) => last.whereNull('throttled_at').orWhere('throttled_at', '<=', now - NOTICE_WINDOW_MS)).update({ throttled_at: now }),
    );
  }

  /** Creates the user's row if needed, then runs `change` on it; whether it changed the row. */
  async #update(userId: string, change: (row: ReturnType<Otp['knex']>) => Promise<number>): Promise<boolean> {
    try {
      await this.#knex(NOTICE_TABLE).insert({ user_id: userId, sent_count: 0 }).onConflict('user_id').ignore();
      return (await change(this.#knex(NOTICE_TABLE).where('user_id', userId))) === 1;
    } catch (error) {
      throw new StorageError('the account-notice table could not be read or written (run AccountNotices.migrate())', { cause: error });
    }
  }
}
