import { LockedRow, timeOrNull } from './locked-row.js';
import type { SendWindow } from './send-window.js';
import type { SqlDriver, SqlSession, Statement } from './sql-session.js';

/**
 * The daily send count of each destination (an address, a phone number), in table
 * `otp_send_destination`, keyed by a digest of the destination, never the value. A row is locked
 * after the device row in a challenge, so sends to one destination from many accounts serialize.
 */
export class DestinationQuotaTable {
  readonly #row: LockedRow;
  readonly #store: Statement;

  constructor(driver: SqlDriver) {
    this.#row = new LockedRow(driver, 'otp_send_destination', 'destination', ['sent_count', 'sent_window_start'], ['0', 'NULL']);
    this.#store = driver.statement('UPDATE otp_send_destination SET sent_count = ?, sent_window_start = ? WHERE destination = ?');
  }

  /** Creates the destination's row if needed, locks it and reads its sends. */
  async lock(session: SqlSession, digest: string): Promise<SendWindow> {
    const row = await this.#row.lock(session, digest);
    return { sent: Number(row.sent_count ?? 0), windowStart: timeOrNull(row.sent_window_start) };
  }

  /** Queues the destination's sends (written with the next statement or the commit). */
  store(session: SqlSession, digest: string, sends: SendWindow): void {
    session.write(this.#store, [sends.sent, sends.windowStart, digest]);
  }
}
