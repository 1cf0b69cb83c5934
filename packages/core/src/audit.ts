/**
 * The optional audit table `otp_audit_event`: every event also written as one append-only row
 * after its change committed (`createOtp({ audit: true })`), read back per user and swept by age.
 * @module
 */
import type { OtpEvent } from './events.js';

/** How long audit rows are kept when `audit: true`: one year. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

/** The audit table's settings (`createOtp({ audit: { ... } })`). */
export interface AuditOptions {
  /** Days a row is kept; `otp.sweepAuditEvents()` (`otpkit sweep`) deletes older ones. A whole number from 1 to 36500. @default 365 */
  readonly retentionDays?: number;
}

/** An event as the audit table returns it: the event and its row id. */
export type AuditEvent = OtpEvent & {
  /** The row id: increases with every row written, so it orders events and pages through them (`before`). */
  readonly id: number;
};

/** Which of a user's audit events `otp.auditEvents` reads. */
export interface AuditEventsQuery {
  /** At most this many, newest first (1 to 1000). @default 50 */
  readonly limit?: number;
  /** Only events older than the one with this row id: pass the last `id` of a page to read the next. @default the newest */
  readonly before?: number;
}
