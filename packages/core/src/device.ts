import { Model, snakeCaseMappers } from 'objection';
import type { Clock } from './clock.js';
import type { DevicePurpose } from './device-purpose.js';
import { coerceColumn, columnKind, DEVICE_COLUMNS, formatColumn, type ColumnSpec } from './columns.js';
import type { ChildRowsSpec } from './child-rows.js';
import { ConfigurationError, SecretError } from './errors.js';
import type { ChallengeContext, ChallengeIssue, EnrolContext, EnrolmentResult } from './hooks.js';
import { formatPersistentId } from './persistent-id.js';
import { holdStored, openSecret } from './internal/sealed-secrets.js';
import type { SecretBox } from './secret-box.js';
import type { UserDirectory } from './users.js';
import { GUESS_UNIT, guessChance, isGuessable } from './guessing.js';
import { ALLOWED, throttleAllowance, type GenerateAllowance, type ThrottlePolicy, type VerifyAllowance } from './throttle.js';
import { normalizeToken } from './token.js';
import type { CheckResult, VerifyContext } from './verify-context.js';
import type { ChildRowStore } from './internal/child-row-store.js';
import type { Messages } from './i18n/messages.js';

/** What a device class bound to one otp instance knows: set by `createOtp`, never by users. */
export interface DeviceRuntime<O extends object = object> {
  readonly clock: Clock;
  readonly secretBox: SecretBox;
  readonly throttle: ThrottlePolicy;
  /** The plugin's `tokenEntropyBits`, when it declares them. */
  readonly tokenEntropyBits: number | undefined;
  /** Refuses to confirm or challenge an unconfirmed device created this many ms ago or earlier. */
  readonly enrolmentTimeoutMs: number;
  /** The plugin's resolved options. */
  readonly options: O;
  /** The application's users, for plugins that need a username or an address. */
  readonly users: UserDirectory;
  /** Reads and writes the device's declared child rows. */
  readonly children: ChildRowStore;
  /** The otp instance's message catalog: a device's texts (its code messages) in the challenge's `locale`. */
  readonly messages: Messages;
}

/** What `createDevice` inserts in a secret column before it seals the value for the new row id. */
export const SECRET_PLACEHOLDER = '';

const declaredColumns = new WeakMap<object, ColumnSpec>();

/** Every column of a device model: core's {@link DEVICE_COLUMNS} and the model's own `columns`. */
export function columnsOf(model: typeof Device): ColumnSpec {
  let columns = declaredColumns.get(model);
  if (columns === undefined) {
    columns = Object.freeze({ ...DEVICE_COLUMNS, ...model.columns });
    declaredColumns.set(model, columns);
  }
  return columns;
}

/**
 * At this many single-use tokens left or fewer ({@link Device.remainingTokens}: backup codes), the
 * user is warned to make new ones: on the page after a backup code is used, and by account notices.
 */
export const LOW_REMAINING_TOKENS = 2;

/**
 * The abstract device: one thing that yields tokens for one user, as django-otp's `Device`.
 * A plugin's model subclasses it and declares, once, on the class: `deviceType`, `tableName`,
 * its own `columns` (and `children`, rows it keeps in a table of their own); core derives the
 * schema, the statements and the sealing of secrets from that. Its check is a pure method
 * ({@link Device.check}) returning what to change; core owns the transaction, the row lock,
 * throttling and timestamps, so no plugin can forget them.
 * @typeParam O the plugin's resolved options (`this.options`).
 * @typeParam T the token the check takes, as the model's static `parseToken` makes it: a string for
 *   codes, an object for WebAuthn's assertions. Left `unknown`, devices of every plugin fit one `Otp`.
 */
export abstract class Device<O extends object = object, T = unknown> extends Model {
  /** The plugin type, the first half of the persistent id (`totp`): declare it `readonly`, so it is a literal type. */
  static readonly deviceType: string = '';
  /** The model's own columns with their types (core adds {@link DEVICE_COLUMNS}). */
  static readonly columns: ColumnSpec = {};
  /** Rows the device keeps in tables of their own (backup codes), by name. */
  static readonly children: ChildRowsSpec = {};
  /** Property names are camelCase, columns snake_case. */
  static override columnNameMappers = snakeCaseMappers();
  /** Set on the per-instance subclasses `createOtp` makes; absent on the plugin's own class. */
  static runtime: DeviceRuntime | undefined;

  /**
   * Turns what a caller sent as a token into the token {@link Device.check} takes, or `null` when
   * it is malformed (then nothing is checked, locked or charged). Codes: trimmed, inner spaces and
   * dashes removed, at most 64 characters.
   */
  static parseToken(raw: unknown): unknown {
    return normalizeToken(raw);
  }

  declare id: number;
  /** The owner's id, always as a string (integer and UUID user ids both work). */
  declare userId: string;
  /** A human-readable name, e.g. "Phone". */
  declare name: string;
  /** Whether enrolment finished. Only confirmed devices count for login. */
  declare confirmed: boolean;
  /**
   * What the device may be used for, chosen at enrolment and never changed by a verification: a
   * `login` device is never accepted as a second factor, a `second-factor` one never signs in alone.
   */
  declare purpose: DevicePurpose;
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
    return formatPersistentId(this.deviceType, this.id);
  }

  /** The plugin type of this device (`totp`). */
  get deviceType(): string {
    return (this.constructor as typeof Device).deviceType;
  }

  /** The runtime of the otp instance this device was loaded through. */
  protected get runtime(): DeviceRuntime<O> {
    const runtime = (this.constructor as typeof Device).runtime;
    if (runtime === undefined) {
      throw new ConfigurationError('This device was not loaded through an otpkit instance (createOtp)');
    }
    return runtime as DeviceRuntime<O>;
  }

  /** The plugin's resolved options. */
  protected get options(): O {
    return this.runtime.options;
  }

  /**
   * Checks a token (as `parseToken` made it) against this device at `context.now`: `null` for a
   * miss, else what changes (`{ patch: { lastT } }`, `{ consume: { codes: id } }`, `{}`). It must
   * not change the device itself, must compare in constant time, and must do no I/O: core calls it
   * inside the verification's transaction with the row locked, and writes the change there.
   */
  abstract check(token: T, context: VerifyContext): CheckResult<Device<any, any>> | Promise<CheckResult<Device<any, any>>>;

  /**
   * What the user must see once when the device is enrolled (`Otp.enroll`): a Key-URI and its QR
   * code, a list of codes, where the first code went. Runs after the device was created, outside
   * any lock. @default nothing to show
   */
  async enroll(_context: EnrolContext): Promise<EnrolmentResult<object>> {
    return { display: {} };
  }

  /**
   * Interactive devices (email, SMS, WebAuthn) implement this: a fresh token or challenge from
   * `now`, as the change to write under the row lock and the delivery to run after commit. Core
   * keeps the cooldown and the daily send limits. `context` is the caller's challenge context (a
   * session binding, template values); it must not be trusted beyond what the caller vouches for.
   */
  issueChallenge?(now: number, context: ChallengeContext): ChallengeIssue<Device<any, any>>;

  /** Whether the device must be asked to send a token first (email, SMS). */
  isInteractive(): boolean {
    return typeof this.issueChallenge === 'function';
  }

  /**
   * Where tokens go (an address, a phone number), or `null`: the daily send limit per destination
   * counts by a keyed digest of it, never the value. Read before the challenge's transaction, so
   * it may look the user up. @default null
   */
  async destination(): Promise<string | null> {
    return null;
  }

  /**
   * What a listing (`otpkit devices`, an admin page, the JSON API's device list) may show about
   * this device besides core's fields: the authenticator's model, whether a credential is a
   * passkey. Never a secret, a code or anything that helps to guess one. @default {}
   */
  details(): Readonly<Record<string, string | number | boolean | null>> {
    return {};
  }

  /**
   * How many single-use tokens the device has left, for a device whose tokens run out (a list of
   * backup codes), or `null` for one whose tokens do not: what a page or a notice warns about
   * without knowing the plugin. @default null
   */
  async remainingTokens(): Promise<number | null> {
    return null;
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
  verifyIsAllowed(now: number = this.runtime.clock()): VerifyAllowance {
    if (!isGuessable(this.runtime.tokenEntropyBits)) return ALLOWED;
    return throttleAllowance(this.throttlingFailureCount, this.throttlingFailureTimestamp, now, this.runtime.throttle);
  }

  /** Whether a token may be generated now (interactive devices have a cooldown). */
  generateIsAllowed(_now: number = this.runtime.clock()): GenerateAllowance {
    return ALLOWED;
  }

  /**
   * Opens one of this device's `secret` columns for a one-time display at enrolment (a key to type
   * in). A check gets its secrets from its context instead. Never store or log what this returns.
   * @throws SecretError when the configured keys cannot open it for this row.
   */
  protected revealSecret(property: string): string | null {
    return openSecret(this, property);
  }

  /**
   * Secret columns are not properties: they stay sealed outside the instance (so no JSON,
   * `util.inspect`, spread or clone shows them), and core opens them only for the check or the
   * enrolment display that needs them.
   */
  override $parseDatabaseJson(json: Record<string, unknown>): Record<string, unknown> {
    const parsed = super.$parseDatabaseJson(json);
    for (const [property, type] of Object.entries(columnsOf(this.constructor as typeof Device))) {
      if (!(property in parsed)) continue;
      const value = coerceColumn(type, parsed[property]);
      if (columnKind(type) === 'secret') {
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
    for (const [property, type] of Object.entries(columnsOf(model))) {
      if (!(property in formatted)) continue;
      if (columnKind(type) === 'secret') {
        if (formatted[property] !== SECRET_PLACEHOLDER && formatted[property] !== null) {
          throw new SecretError(`${model.tableName}.${property} is a secret column: only otpkit writes it`);
        }
      } else {
        formatted[property] = formatColumn(type, formatted[property]);
      }
    }
    return super.$formatDatabaseJson(formatted);
  }
}

/** A concrete device class (a plugin's model). */
export type DeviceClass<D extends Device<any, any> = Device<any, any>> = (new () => D) & Omit<typeof Device, 'prototype'>;
