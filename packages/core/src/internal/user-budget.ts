import type { SqlDriver, SqlSession, Statement } from './sql-session.js';

/** A user's consecutive failed `matchToken` attempts. */
export interface UserBudget {
  readonly failureCount: number;
  readonly lastFailureAt: number | null;
}

/**
 * The per-user failure budget of `matchToken`, in table `otp_user_throttle`. Its row is locked
 * first in every match, so concurrent matches for one user serialize on it.
 */
export class UserBudgetTable {
  readonly #lock: readonly Statement[];
  readonly #update: Statement;

  constructor(driver: SqlDriver) {
    const insert = 'INSERT INTO otp_user_throttle (user_id, failure_count, last_failure_at) VALUES (?, 0, NULL)';
    this.#lock =
      driver.dialect === 'mysql'
        ? [
            // An upsert that finds the row takes an exclusive lock on it; the select then reads it.
            driver.statement(`${insert} ON DUPLICATE KEY UPDATE user_id = user_id`),
            driver.statement('SELECT failure_count, last_failure_at FROM otp_user_throttle WHERE user_id = ? FOR UPDATE'),
          ]
        : [
            driver.statement(
              `${insert} ON CONFLICT (user_id) DO UPDATE SET user_id = excluded.user_id RETURNING failure_count, last_failure_at`,
            ),
          ];
    this.#update = driver.statement(
      'UPDATE otp_user_throttle SET failure_count = ?, last_failure_at = ? WHERE user_id = ?',
    );
  }

  /** Creates the user's row if needed, locks it and reads it. */
  async lock(session: SqlSession, userId: string): Promise<UserBudget> {
    let rows: Record<string, unknown>[] = [];
    for (const statement of this.#lock) rows = await session.rows(statement, [userId]);
    const row = rows[0] ?? {};
    const last = row.last_failure_at;
    return {
      failureCount: Number(row.failure_count ?? 0),
      lastFailureAt: last === null || last === undefined ? null : Number(last),
    };
  }

  /** Stores the budget after an attempt. */
  async store(session: SqlSession, userId: string, budget: UserBudget): Promise<void> {
    await session.run(this.#update, [budget.failureCount, budget.lastFailureAt, userId]);
  }
}
