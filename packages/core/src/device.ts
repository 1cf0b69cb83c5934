import { Model, snakeCaseMappers } from 'objection';
import type { Clock } from './clock.js';
import { coerceColumn, DEVICE_COLUMNS, type ColumnSpec } from './columns.js';
import { ConfigurationError, SecretError } from './errors.js';
import type { EventMeta, ReportedEvent } from './events.js';
import type { ChallengeOutcome, VerifyOutcome } from './outcomes.js';
import { formatPersistentId } from './persistent-id.js';
import { holdStored, openSecret } from './internal/sealed-secrets.js';
import type { SecretBox } from './secret-box.js';
import type { UserDirectory } from './users.js';
import { GUESS_UNIT, guessChance, isGuessable } from './guessing.js';
import { ALLOWED, throttleAllowance, type Allowance, type ThrottlePolicy } from './throttle.js';
import type { VerifyContext } from './verify-context.js';

/** What a device's instance methods delegate to: the otp instance it was loaded through. */
export interface DeviceService {
  confirmDevice(userId: string | number, persistentId: string, token: unknown): Promise<VerifyOutcome>;
  generateChallenge(userId: string | number, persistentId: string, context?: ChallengeContext): Promise<ChallengeOutcome>;
  /** Reports a change a device method committed itself (new backup codes): see `Otp.recordEvent`. */
  recordEvent(event: ReportedEvent, meta?: EventMeta): Promise<void>;
}

/** Extra values for challenge templates (`{name}` placeholders) and the request that asked. */
export type ChallengeContext = Readonly<Record<string, string | number>>;

/** What a device class bound to one otp instance knows: set by `createOtp`, never by users. */
export interface DeviceRuntime {
  readonly clock: Clock;
  readonly secretBox: SecretBox;
  readonly throttle: ThrottlePolicy;
  /** The plugin's `tokenEntropyBits`, when it declares them. */
  readonly tokenEntropyBits: number | undefined;
  /** Refuses to confirm or challenge an unconfirmed device created this many ms ago or earlier. */
  readonly enrolmentTimeoutMs: number;
  /** The plugin's resolved options. */
  readonly options: object;
  readonly service: DeviceService;
  /** The application's users, for plugins that need a username or an address. */
  readonly users: UserDirectory;
}

/** A child table holding digests of a device's codes (backup codes), one row per code. */
export interface DigestRows {
  /** The child table, e.g. `otp_static_token`. */
  readonly table: string;
  /** Its digest column (`SecretBox.digest`), e.g. `token_hash`. */
  readonly column: string;
  /** Its column holding the device's row id, e.g. `device_id`. */
  readonly deviceColumn: string;
}

/** What `createDevice` inserts in a secret column before it seals the value for the new row id. */
export const SECRET_PLACEHOLDER = '';

/**
 * The abstract device: one thing that yields tokens for one user. Plugins subclass it, declare
 * `deviceType`, `tableName` and `columns`, and implement {@link Device.checkToken}. Core owns the
 * transaction, the row lock, throttling and timestamps, so no plugin can forget them.
 */
export abstract class Device extends Model {
  /** The plugin type, the first half of the persistent id (`totp`). */
  static deviceType = '';
  /** Every column of the table, with its kind. Subclasses spread {@link DEVICE_COLUMNS} into theirs. */
  static columns: ColumnSpec = DEVICE_COLUMNS;
  /** Property names are camelCase, columns snake_case. */
  static override columnNameMappers = snakeCaseMappers();
  /** The device's digest rows, which `checkSecrets` and `rotateSecrets` cover; `null` when it has none. */
  static digests: DigestRows | null = null;
  /** Set on the per-instance subclasses `createOtp` makes; absent on the plugin's own class. */
  static runtime: DeviceRuntime | undefined;

  declare id: number;
  /** The owner's id, always as a string (integer and UUID user ids both work). */
  declare userId: string;
  /** A human-readable name, e.g. "Phone". */
  declare name: string;
  /** Whether enrolment finished. Only confirmed devices count for login. */
  declare confirmed: boolean;
  /** When the device was created (epoch ms). */
  declare createdAt: number;
  /** When a token last verified (epoch ms), or `null`. */
  declare lastUsedAt: number | null;
  /** Consecutive failed verifications. */
  declare throttlingFailureCount: number;
  /** When the last failure happened (epoch ms), or `null`. */
  declare throttlingFailureTimestamp: number | null;

  /** `"<type>/<id>"`: names the device across plugins; what sessions store. */
  get persistentId(): string {
    return formatPersistentId((this.constructor as typeof Device).deviceType, this.id);
  }

  /** The runtime of the otp instance this device was loaded through. */
  protected get runtime(): DeviceRuntime {
    const runtime = (this.constructor as typeof Device).runtime;
    if (runtime === undefined) {
      throw new ConfigurationError('This device was not loaded through an otpkit instance (createOtp)');
    }
    return runtime;
  }

  /**
   * Checks a normalized token and updates the device's own state on success (last time step,
   * counter, consumed code). Called by core inside the locked transaction; core writes the row.
   * Must not change state on failure, and must compare in constant time.
   */
  abstract checkToken(token: string, context: VerifyContext): boolean | Promise<boolean>;

  /** Whether the device must be asked to send a token first (email, SMS). */
  isInteractive(): boolean {
    return false;
  }

  /**
   * The chance that one guess at this device succeeds, codes tested included: from the plugin's
   * `tokenEntropyBits`, else one unit of the guessing budget. OATH devices refine it from their own
   * digits and tolerance.
   */
  guessChance(): number {
    const bits = this.runtime.tokenEntropyBits;
    return bits === undefined ? GUESS_UNIT : guessChance(bits);
  }

  /** Whether an unconfirmed device's enrolment has expired at `now`, so it can no longer be confirmed. */
  enrolmentExpired(now: number): boolean {
    return !this.confirmed && now - this.createdAt >= this.runtime.enrolmentTimeoutMs;
  }

  /** Whether a verification may be attempted now; when not, why and until when. Unguessable devices always may. */
  verifyIsAllowed(now: number = this.runtime.clock()): Allowance {
    if (!isGuessable(this.runtime.tokenEntropyBits)) return ALLOWED;
    return throttleAllowance(this.throttlingFailureCount, this.throttlingFailureTimestamp, now, this.runtime.throttle);
  }

  /** Whether a token may be generated now (interactive devices have a cooldown). */
  generateIsAllowed(_now: number = this.runtime.clock()): Allowance {
    return ALLOWED;
  }

  /**
   * Opens one of this device's `secret` columns for a one-time display at enrolment (a key to type
   * in, a printed list). A check gets its secrets from its context instead. Never store or log what
   * this returns.
   * @throws SecretError when the configured keys cannot open it for this row.
   */
  protected revealSecret(property: string): string | null {
    return openSecret(this, property);
  }

  /** Records a successful verification at `now`: resets throttling, stamps `lastUsedAt`. */
  recordSuccess(now: number): void {
    this.throttlingFailureCount = 0;
    this.throttlingFailureTimestamp = null;
    this.lastUsedAt = now;
  }

  /** Records a failed verification at `now`. */
  recordFailure(now: number): void {
    this.throttlingFailureCount += 1;
    this.throttlingFailureTimestamp = now;
  }

  /** Asks an interactive device to send a token. See `Otp.generateChallenge`. */
  generateChallenge(context?: ChallengeContext): Promise<ChallengeOutcome> {
    return this.runtime.service.generateChallenge(this.userId, this.persistentId, context);
  }

  /** Confirms this (new) device with a valid token; the token is then spent. See `Otp.confirmDevice`. */
  confirm(token: unknown): Promise<VerifyOutcome> {
    return this.runtime.service.confirmDevice(this.userId, this.persistentId, token);
  }

  /**
   * Secret columns are not properties: they stay sealed outside the instance (so no JSON,
   * `util.inspect`, spread or clone shows them), and core opens them only for the check or the
   * enrolment display that needs them.
   */
  override $parseDatabaseJson(json: Record<string, unknown>): Record<string, unknown> {
    const parsed = super.$parseDatabaseJson(json);
    const model = this.constructor as typeof Device;
    for (const [property, kind] of Object.entries(model.columns)) {
      if (!(property in parsed)) continue;
      const value = coerceColumn(kind, parsed[property]);
      if (kind === 'secret') {
        holdStored(this, property, value as string | null);
        delete parsed[property];
      } else {
        parsed[property] = value;
      }
    }
    return parsed;
  }

  /**
   * Secret columns are written by core only (sealed and bound to the row); an objection write that
   * carries one is refused, except the empty placeholder `createDevice` inserts before sealing.
   */
  override $formatDatabaseJson(json: Record<string, unknown>): Record<string, unknown> {
    const model = this.constructor as typeof Device;
    const formatted = { ...json };
    for (const [property, kind] of Object.entries(model.columns)) {
      if (!(property in formatted)) continue;
      if (kind === 'secret' && formatted[property] !== SECRET_PLACEHOLDER && formatted[property] !== null) {
        throw new SecretError(`${model.tableName}.${property} is a secret column: only otpkit writes it`);
      }
      if (kind === 'boolean') formatted[property] = formatted[property] ? 1 : 0;
    }
    return super.$formatDatabaseJson(formatted);
  }
}

/** A concrete device class (a plugin's model). */
export type DeviceClass<D extends Device = Device> = (new () => D) & Omit<typeof Device, 'prototype'>;
