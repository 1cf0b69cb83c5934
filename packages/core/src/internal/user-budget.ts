import { LockedRow, timeOrNull } from './locked-row.js';
import type { SendWindow } from './send-window.js';
import type { Call, Row, SqlDriver, SqlSession, Statement } from './sql-session.js';

/** A user's row of limits: the guessing budget (failed units and the last failure) and the day's sends. */
export interface UserBudget {
  readonly failureCount: number;
  readonly lastFailureAt: number | null;
  readonly sends: SendWindow;
}

/**
 * The per-user guessing budget shared by every guessing path, and the user's daily send count, in
 * table `otp_user_throttle`. Its row is locked first (before any device row) by every verification
 * of a guessable device, every match and every challenge, so they serialize per user and never deadlock.
 */
export class UserBudgetTable {
  readonly #row: LockedRow;
  readonly #storeFailures: Statement;
  readonly #storeSends: Statement;

  constructor(driver: SqlDriver) {
    this.#row = new LockedRow(
      driver,
      'otp_user_throttle',
      'user_id',
      ['failure_count', 'last_failure_at', 'sent_count', 'sent_window_start'],
      ['0', 'NULL', '0', 'NULL'],
    );
    this.#storeFailures = driver.statement('UPDATE otp_user_throttle SET failure_count = ?, last_failure_at = ? WHERE user_id = ?');
    this.#storeSends = driver.statement('UPDATE otp_user_throttle SET sent_count = ?, sent_window_start = ? WHERE user_id = ?');
  }

  /** Creates the user's row if needed, locks it and reads it. */
  async lock(session: SqlSession, userId: string): Promise<UserBudget> {
    return this.fromRow(await this.#row.lock(session, userId));
  }

  /** The calls that lock the user's row and read it (the last call); see {@link LockedRow.lockCalls}. */
  lockCalls(userId: string): Call[] {
    return this.#row.lockCalls(userId);
  }

  /** The budget in a row read by {@link UserBudgetTable.lockCalls} or {@link UserBudgetTable.lock}. */
  fromRow(row: Row): UserBudget {
    return {
      failureCount: Number(row.failure_count ?? 0),
      lastFailureAt: timeOrNull(row.last_failure_at),
      sends: { sent: Number(row.sent_count ?? 0), windowStart: timeOrNull(row.sent_window_start) },
    };
  }

  /** Queues the guessing budget after an attempt (written with the next statement or the commit). */
  storeFailures(session: SqlSession, userId: string, failureCount: number, lastFailureAt: number | null): void {
    session.write(this.#storeFailures, [failureCount, lastFailureAt, userId]);
  }

  /** Queues the day's sends (written with the next statement or the commit). */
  storeSends(session: SqlSession, userId: string, sends: SendWindow): void {
    session.write(this.#storeSends, [sends.sent, sends.windowStart, userId]);
  }
}
