import type { Knex } from 'knex';
import type { AuditOptions } from '../audit.js';
import type { Clock } from '../clock.js';
import { ConfigurationError, ValidationError } from '../errors.js';
import { OTP_EVENT_TYPES, type EventMeta, type InstanceEventType, type OtpEvent, type OtpEventHooks, type OtpEventOf, type OtpEventType, type ReportedEvent } from '../events.js';
import type { Logger } from '../logger.js';
import type { ChallengeOutcome, VerifyOutcome } from '../outcomes.js';
import { parsePersistentId } from '../persistent-id.js';
import { isPrintableText } from '../printable-text.js';
import { storedUserId } from '../user-id.js';
import { AuditTable, resolveAudit } from './audit-table.js';
import type { SqlDriver } from './sql-session.js';
import { resolveEventMeta } from './event-meta.js';
import { checkOptionKeys } from '../option-keys.js';

/** An event before it is stamped: the type, whom it concerns, and its per-type fields. */
export type EventInput = { [T in OtpEventType]: Omit<OtpEventOf<T>, 'at' | 'via' | 'ip' | 'userAgent' | 'actor'> }[OtpEventType];

/** What `createOtp` passes to build the bus. */
export interface EventBusSetup {
  readonly knex: Knex;
  /** The hot-path driver on `knex` (the audit table's writes). */
  readonly driver: SqlDriver;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: OtpEventHooks | undefined;
  readonly audit: boolean | AuditOptions | undefined;
}

const KNOWN = new Set<string>(OTP_EVENT_TYPES);
const INSTANCE_EVENTS = new Set<string>(['secretsRotated'] satisfies InstanceEventType[]);
const STAMPED = new Set(['type', 'userId', 'deviceId', 'at', 'via', 'ip', 'userAgent', 'actor']);
const MAX_DETAIL_FIELDS = 8;
const MAX_DETAIL_TEXT = 64;

/** The hooks of `createOtp({ events })`, checked. @throws ConfigurationError naming a bad hook. */
function resolveHooks(events: OtpEventHooks | undefined): OtpEventHooks {
  if (events === undefined) return Object.freeze({});
  if (events === null || typeof events !== 'object') throw new ConfigurationError('events must be an object of hooks by event type');
  checkOptionKeys('events', events, OTP_EVENT_TYPES);
  for (const [name, hook] of Object.entries(events)) {
    if (typeof hook !== 'function') throw new ConfigurationError(`events.${name} must be a function`);
  }
  return Object.freeze({ ...events });
}

/** Why a hook or an audit write failed, for the log: the error's message, one line, cut short. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 200);
}

/** Whether a per-type field of a reported event is a value the audit table and hooks can take as it is. */
function isDetailValue(value: unknown): boolean {
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.length <= MAX_DETAIL_TEXT && isPrintableText(value);
}

/**
 * Reports committed changes: stamps each event with the clock and the caller's metadata, writes it
 * to the audit table when that is on, then awaits its hook. Called only after a change committed,
 * never inside a transaction; it never throws (a failing hook or audit write is logged), so a
 * change that happened is never reported to its caller as failed.
 */
export class EventBus {
  readonly #hooks: OtpEventHooks;
  readonly #subscribers = new Set<OtpEventHooks>();
  readonly #clock: Clock;
  readonly #logger: Logger;
  /** The audit table, or `null` when `audit` is off. */
  readonly audit: AuditTable | null;

  /** @throws ConfigurationError for bad `events` or `audit` options. */
  constructor(setup: EventBusSetup) {
    this.#hooks = resolveHooks(setup.events);
    this.#clock = setup.clock;
    this.#logger = setup.logger;
    const audit = resolveAudit(setup.audit);
    this.audit = audit === null ? null : new AuditTable(setup.knex, setup.driver, setup.clock, audit);
  }

  /** Whether anything listens: without hooks or an audit table, events are not even built. */
  get active(): boolean {
    return this.audit !== null || Object.keys(this.#hooks).length > 0 || this.#subscribers.size > 0;
  }

  /**
   * Adds hooks of a package built on otpkit (token sessions), called after the configured ones.
   * @returns a function that removes them.
   * @throws ConfigurationError for a hook that is not a function of a known event.
   */
  subscribe(hooks: OtpEventHooks): () => void {
    const resolved = resolveHooks(hooks);
    this.#subscribers.add(resolved);
    return () => {
      this.#subscribers.delete(resolved);
    };
  }

  /** Reports one committed change. */
  async emit(input: EventInput, meta?: EventMeta): Promise<void> {
    if (!this.active) return;
    const { type, userId, deviceId, ...detail } = input;
    const event = Object.freeze({ type, userId, deviceId, at: this.#clock(), ...resolveEventMeta(meta), ...detail }) as OtpEvent;
    if (this.audit !== null) {
      try {
        await this.audit.write(event);
      } catch (error) {
        this.#logger.warn(`the audit row of a ${type} event could not be written (${reasonOf(error)}); the change stands`);
      }
    }
    for (const hooks of [this.#hooks, ...this.#subscribers]) {
      const hook = hooks[type] as ((event: OtpEvent) => void | Promise<void>) | undefined;
      if (hook === undefined) continue;
      try {
        await hook(event);
      } catch (error) {
        this.#logger.warn(`the ${type} event hook threw (${reasonOf(error)}); the change stands`);
      }
    }
  }

  /**
   * Reports a committed verification: `success` (`verified`, or `deviceConfirmed` for an enrolment)
   * or `failed`/`throttled`. An unknown device (`no_device`) changed nothing and is not reported.
   * `persistentId` is the device the caller named, or `null` for `match`.
   */
  verification(owner: string, persistentId: unknown, outcome: VerifyOutcome, success: 'verified' | 'deviceConfirmed', meta?: EventMeta): Promise<void> {
    if (outcome.ok) {
      const deviceId = outcome.device.persistentId;
      const input: EventInput = success === 'verified' ? { type: 'verified', userId: owner, deviceId, method: 'token' } : { type: 'deviceConfirmed', userId: owner, deviceId };
      return this.emit(input, meta);
    }
    if (outcome.reason === 'no_device') return Promise.resolve();
    const deviceId = parsePersistentId(persistentId) === null ? null : (persistentId as string);
    if (outcome.reason === 'malformed_token') return this.emit({ type: 'failed', userId: owner, deviceId }, meta);
    if (outcome.reason === 'suspected_clone') return this.emit({ type: 'cloneSuspected', userId: owner, deviceId }, meta);
    const { failureCount, lockedUntil } = outcome;
    return this.emit(
      outcome.reason === 'throttled'
        ? { type: 'throttled', userId: owner, deviceId, failureCount, lockedUntil: outcome.lockedUntil }
        : { type: 'failed', userId: owner, deviceId, failureCount, lockedUntil },
      meta,
    );
  }

  /** Reports a token sent by a committed challenge; refusals changed nothing. */
  challenge(owner: string, outcome: ChallengeOutcome, meta?: EventMeta): Promise<void> {
    if (!outcome.ok) return Promise.resolve();
    return this.emit({ type: 'challengeSent', userId: owner, deviceId: outcome.device.persistentId, validUntil: outcome.validUntil }, meta);
  }

  /**
   * Checks an event reported from outside core (`otp.recordEvent`) and reports it.
   * @throws ValidationError for an unknown or instance-wide type, a bad user or device id, or a
   *   per-type field that is not a short printable string, a finite number, a boolean or `null`.
   */
  async report(reported: ReportedEvent, meta?: EventMeta): Promise<void> {
    if (reported === null || typeof reported !== 'object') throw new ValidationError('an event is an object with a type', { field: 'type' });
    const { type, userId, deviceId, ...detail } = reported as unknown as Record<string, unknown>;
    if (typeof type !== 'string' || !KNOWN.has(type) || INSTANCE_EVENTS.has(type)) {
      throw new ValidationError('type must be an event type about one user', { field: 'type' });
    }
    const owner = storedUserId(userId);
    if (deviceId !== null && parsePersistentId(deviceId) === null) {
      throw new ValidationError('deviceId must be a persistent id or null', { field: 'deviceId' });
    }
    const fields = Object.entries(detail);
    const bad = fields.find(([name, value]) => STAMPED.has(name) || !isDetailValue(value));
    if (bad !== undefined || fields.length > MAX_DETAIL_FIELDS) {
      throw new ValidationError(`${bad?.[0] ?? 'the event'} is not a field an event can carry`, { field: bad?.[0] ?? 'type' });
    }
    await this.emit({ ...detail, type, userId: owner, deviceId } as EventInput, meta);
  }
}
