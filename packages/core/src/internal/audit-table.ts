import type { Knex } from 'knex';
import { DEFAULT_AUDIT_RETENTION_DAYS, type AuditEvent, type AuditEventsQuery, type AuditOptions } from '../audit.js';
import type { Clock } from '../clock.js';
import { checkOptionKeys } from '../option-keys.js';
import { ConfigurationError, StorageError, ValidationError } from '../errors.js';
import type { OtpEvent } from '../events.js';
import type { SqlDriver, Statement } from './sql-session.js';
import { stored } from './stored.js';

const TABLE = 'otp_audit_event';
const DAY_MS = 86_400_000;
const MAX_LIMIT = 1000;

/** The audit settings in force, resolved once. */
export interface ResolvedAudit {
  /** Days a row is kept. */
  readonly retentionDays: number;
}

/**
 * Resolves `createOtp({ audit })`: off (`false`, absent), on with the defaults (`true`), or on
 * with the given retention.
 * @throws ConfigurationError for anything else.
 */
export function resolveAudit(audit: boolean | AuditOptions | undefined): ResolvedAudit | null {
  if (audit === undefined || audit === false) return null;
  if (audit === true) return Object.freeze({ retentionDays: DEFAULT_AUDIT_RETENTION_DAYS });
  if (audit === null || typeof audit !== 'object') {
    throw new ConfigurationError('audit must be true, false or { retentionDays }');
  }
  checkOptionKeys('audit', audit, ['retentionDays']);
  const retentionDays = audit.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 36500) {
    throw new ConfigurationError('audit.retentionDays must be a whole number of days from 1 to 36500');
  }
  return Object.freeze({ retentionDays });
}

interface Row {
  id: number | string;
  at: number | string;
  type: string;
  user_id: string | null;
  device_id: string | null;
  via: string;
  ip: string | null;
  user_agent: string | null;
  actor: string | null;
  detail: string;
}

/** The per-type fields a row keeps as JSON; anything but a JSON object reads as none. */
function detailOf(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function eventOf(row: Row): AuditEvent {
  return {
    ...detailOf(row.detail),
    id: Number(row.id),
    type: row.type,
    userId: row.user_id,
    deviceId: row.device_id,
    at: Number(row.at),
    via: row.via,
    ip: row.ip,
    userAgent: row.user_agent,
    actor: row.actor,
  } as AuditEvent;
}

/** The query's page, checked. @throws ValidationError for a bad `limit` or `before`. */
function pageOf(query: AuditEventsQuery): { limit: number; before: number | null } {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new ValidationError(`limit must be a whole number from 1 to ${MAX_LIMIT}`, { field: 'limit' });
  }
  const before = query.before ?? null;
  if (before !== null && (!Number.isSafeInteger(before) || before < 1)) {
    throw new ValidationError('before must be the id of an audit event', { field: 'before' });
  }
  return { limit, before };
}

/**
 * Table `otp_audit_event`: one append-only row per event, written with one prepared INSERT outside
 * any verification's transaction, read per user newest first, and swept by age.
 */
export class AuditTable {
  readonly #knex: Knex;
  readonly #driver: SqlDriver;
  readonly #insert: Statement;
  readonly #clock: Clock;
  readonly #retentionMs: number;

  constructor(knex: Knex, driver: SqlDriver, clock: Clock, audit: ResolvedAudit) {
    this.#knex = knex;
    this.#driver = driver;
    this.#clock = clock;
    this.#retentionMs = audit.retentionDays * DAY_MS;
    this.#insert = driver.statement(
      `INSERT INTO ${TABLE} (at, type, user_id, device_id, via, ip, user_agent, actor, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Writes one event as a row (its per-type fields as JSON). Driver failures are thrown as they are. */
  async write(event: OtpEvent): Promise<void> {
    const { type, userId, deviceId, at, via, ip, userAgent, actor, ...detail } = event;
    const values = [at, type, userId, deviceId, via, ip, userAgent, actor, JSON.stringify(detail)];
    await this.#driver.connection((session) => session.run(this.#insert, values));
  }

  /** The user's events, newest first. @throws ValidationError for a bad query; StorageError. */
  async list(owner: string, query: AuditEventsQuery): Promise<AuditEvent[]> {
    const { limit, before } = pageOf(query);
    const rows = await stored(() => {
      const select = this.#knex(TABLE).where('user_id', owner).orderBy('id', 'desc').limit(limit);
      if (before !== null) select.where('id', '<', before);
      return select as Promise<Row[]>;
    });
    // Re-checked in JavaScript: ownership never rests on the database's collation alone.
    return rows.filter((row) => row.user_id === owner).map(eventOf);
  }

  /** Deletes the rows older than the retention. @returns how many. */
  sweep(): Promise<number> {
    const cutoff = this.#clock() - this.#retentionMs;
    return stored(() => this.#knex(TABLE).where('at', '<', cutoff).delete());
  }

}
