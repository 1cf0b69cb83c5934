import type { SecretBox } from './secret-box.js';

/** A row as the database driver returns it. */
export type SqlRow = Record<string, unknown>;

/**
 * What a plugin's token check may use. It runs inside the verification's transaction with the
 * device row locked: keep it fast and do no network I/O here.
 */
export interface VerifyContext {
  /** The time of this verification (epoch ms), read once from the injected clock. */
  readonly now: number;
  /** The instance's secret box, for digests of stored codes. */
  readonly secretBox: SecretBox;
  /** `' FOR UPDATE'` on PostgreSQL and MySQL, `''` on SQLite (whose writes are serialized). */
  readonly forUpdate: string;
  /**
   * Opens one of the checked device's `secret` columns (by property name) for this check only;
   * keep the plaintext in local variables, never on the device.
   * @throws SecretError when the configured keys cannot open it for this row.
   */
  secret(property: string): string | null;
  /** Runs a statement written with `?` placeholders in this transaction; returns its rows. */
  query(sql: string, values: readonly unknown[]): Promise<SqlRow[]>;
  /** Runs a changing statement in this transaction; returns how many rows it changed. */
  execute(sql: string, values: readonly unknown[]): Promise<number>;
}
