import type { Knex } from 'knex';
import { systemClock, type Clock } from './clock.js';
import type { Device, DeviceClass, DeviceRuntime } from './device.js';
import type { ImportedDevice, ImportOptions, ImportResult } from './device-import.js';
import { importUserDevices } from './internal/device-importer.js';
import { insertDevice } from './internal/insert-device.js';
import type { CreateDeviceInput } from './create-device-input.js';
import type { ChallengeContext, EnrolmentResult } from './hooks.js';
import { ChildRowStore } from './internal/child-row-store.js';
import { ConfigurationError, StorageError, ValidationError } from './errors.js';
import { checkOptionKeys } from './option-keys.js';
import { validateDeviceName } from './device-name.js';
import type { AuditEvent, AuditEventsQuery, AuditOptions } from './audit.js';
import type { EventMeta, OtpEventHooks, ReportedEvent } from './events.js';
import { EventBus } from './internal/event-bus.js';
import { DeviceTable } from './internal/device-table.js';
import { driverFor, replicaDriverFor } from './internal/driver-for.js';
import type { SqlDriver } from './internal/sql-session.js';
import { otpMigrationSource } from './internal/migration-source.js';
import { schemaMigrationSource } from './schema-migrations.js';
import type { OtpMigration } from './migration.js';
import { findSecretProblems, resealSecrets } from './internal/secret-rows.js';
import { UserBudgetTable } from './internal/user-budget.js';
import { Verification } from './internal/verification.js';
import { resolveLogger, type LoggerOption } from './logger.js';
import type { ChallengeOutcome, VerifyOutcome } from './outcomes.js';
import { parsePersistentId } from './persistent-id.js';
import { purposesServing, validateDevicePurpose, type DeviceUse } from './device-purpose.js';
import type { AnyDevicePlugin } from './plugin.js';
import type { TypedOtp } from './typed-otp.js';
import { RememberedBrowsers } from './remembered-browsers.js';
import { SecretBox, type SecretKeys, type SecretReport } from './secret-box.js';
import { isGuessable } from './guessing.js';
import { DestinationQuotaTable } from './internal/destination-quota.js';
import { resolveSendLimits, type SendLimits } from './send-limits.js';
import { DEFAULT_GUESS_THROTTLE, resolveThrottlePolicy, type ThrottlePolicy } from './throttle.js';
import { storedUserId, type UserId } from './user-id.js';
import { UserDirectory, type UsersOptions } from './users.js';
import { stored } from './internal/stored.js';
import { Messages, type MessagesOptions } from './i18n/messages.js';
import { UserSettings } from './user-settings.js';
import { resetUserThrottle } from './internal/throttle-reset.js';

/** The options of {@link createOtp}. */
export interface OtpOptions {
  /** The knex instance otpkit stores devices through (pg, mysql2 or better-sqlite3), not a transaction: otpkit runs its own. Not owned: you destroy it. */
  readonly knex: Knex;
  /**
   * A knex instance on a read replica of `knex`'s database (same client), for the reads that ask
   * for it with `{ replica: true }`: {@link Otp.deviceFromPersistentId} (otpMiddleware's check of a
   * verified session, on every request) and {@link Otp.devicesForUser} (device listings). Nothing
   * else reads it: verifications, confirmations, challenges, throttles, limits and every write go
   * to `knex`, under their row locks, so a device removed on the primary is never accepted however
   * far the replica lags. What the replica's lag can do is bounded by it: a removed device may still
   * be listed, and a session it verified still pass otpMiddleware, until the replica replays the
   * removal. A device the replica lacks or shows unconfirmed is read again from `knex`, so a device
   * just enrolled or confirmed is never missed, and a replica that cannot be reached is skipped for
   * `knex` (which then carries those reads). Not owned: you destroy it.
   * @default the `knex` instance (every read on the primary)
   */
  readonly readKnex?: Knex;
  /**
   * Whether verifications on PostgreSQL use named prepared statements, parsed once per connection.
   * Set `false` when a pooler in transaction mode stands between otpkit and PostgreSQL and does
   * not keep them across transactions (PgBouncer before 1.21, or with `max_prepared_statements = 0`):
   * a statement parsed in one transaction is then looked for on another server connection, and
   * verifications fail with "prepared statement … already exists" or "does not exist". Without
   * them each statement is parsed where it runs; the round trips stay the same. No effect on
   * MySQL/MariaDB or SQLite.
   * @default true
   */
  readonly preparedStatements?: boolean;
  /** The device plugins, each made by calling its factory (`totp()`), in the order `matchToken` tries them. Types must be unique. */
  readonly devices: readonly AnyDevicePlugin[];
  /** Where the application's users are. @default { table: 'users', idColumn: 'id', usernameColumn: 'username', emailColumn: 'email' } */
  readonly users?: Partial<UsersOptions>;
  /** The time source. Tests inject a fake clock. @default Date.now */
  readonly clock?: Clock;
  /**
   * Keys that encrypt device secrets at rest, by id; the largest id encrypts, every listed id
   * decrypts. Each key is 32 bytes as base64 or 64 hex digits; an entry that is `undefined` or
   * empty (an unset environment variable) is a `ConfigurationError`. Once keys are configured,
   * plaintext and 0.1-sealed values are refused until {@link Otp.rotateSecrets} reseals them.
   * Without keys, secrets are stored in plaintext and a warning is logged at start-up.
   * @default {}
   */
  readonly secretKeys?: SecretKeys;
  /**
   * The user's guessing budget, shared by every path that checks a guessable token (`verify`,
   * `match`, `confirmDevice`, and the forms and API built on them): after misses worth `n` units it
   * refuses guesses until `factor · 2^(n−1)` seconds after the last, at most `maxDelaySeconds`.
   * Unguessable devices (backup codes) are never blocked by it. Replaces 0.1's `matchThrottle`.
   * @default { factor: 2, maxDelaySeconds: 43200 }
   */
  readonly guessThrottle?: Partial<ThrottlePolicy>;
  /** Daily caps on sent tokens, per user and per destination. @default { perUser: 10, perDestination: 5 } */
  readonly sendLimits?: Partial<SendLimits>;
  /**
   * Seconds an unconfirmed device may wait for its confirmation; after that it can be neither
   * confirmed nor challenged, and `sweepExpiredEnrolments` deletes it.
   * @default 3600
   */
  readonly enrolmentTimeout?: number;
  /**
   * Hooks by event type (`verified`, `failed`, `deviceAdded`, …), called after each change commits,
   * whoever made it (a direct call, the Express API or login views, the CLI). Awaited in order; one
   * that throws is logged and the change stands. See {@link OtpEventHooks}.
   * @default {}
   */
  readonly events?: OtpEventHooks;
  /**
   * The audit table `otp_audit_event`: when on, every event is also written as a row after its
   * change commits, read back with {@link Otp.auditEvents} and pruned by {@link Otp.sweepAuditEvents}
   * after `retentionDays` (365 with `true`).
   * @default false
   */
  readonly audit?: boolean | AuditOptions;
  /**
   * Where warnings go (plaintext secrets at start-up, failing event hooks and audit writes): an
   * object with a `warn(message)` method (`console`, a pino or winston logger) or a function of the
   * message (`console.warn`). @default console.warn, prefixed `[otpkit]`
   */
  readonly logger?: LoggerOption;
  /** The table knex records otpkit's migrations in. @default 'otpkit_migrations' */
  readonly migrationsTable?: string;
  /**
   * The message catalog every page, JSON message, mail and text message comes from: English and
   * French built in; reword them or add a locale. See {@link MessagesOptions}.
   * @default { defaultLocale: 'en' }
   */
  readonly messages?: MessagesOptions;
}

/** Where a lock-free read may go: see {@link OtpOptions.readKnex}. */
export interface ReadOptions {
  /**
   * `true`: read from `readKnex` (the primary when none is configured). Only for what may be as old
   * as the replica's lag: a listing to display, otpMiddleware's per-request check. Never before a
   * decision about the account's factors.
   * @default false
   */
  readonly replica?: boolean;
}

/** Filters for {@link Otp.devicesForUser}, and where it reads. */
export interface DevicesForUserOptions extends ReadOptions {
  /** `true`: confirmed only; `false`: unconfirmed only; absent: all. */
  readonly confirmed?: boolean;
  /** Only the devices that serve this use: of that purpose, or `both`. Absent: every purpose. */
  readonly purpose?: DeviceUse;
}

/** The result of {@link Otp.enroll}: the device and what to show once, or why its first token could not be sent. */
export type EnrolOutcome<D extends Device<any, any> = Device<any, any>, S extends object = object> =
  | { readonly ok: true; readonly device: D; readonly display: S; readonly existing: boolean }
  | Extract<ChallengeOutcome, { ok: false }>;

/** Every key of {@link OtpOptions}: any other is a mistake, refused at start-up. */
const OTP_OPTION_KEYS: readonly (keyof OtpOptions)[] = Object.freeze([
  'knex',
  'readKnex',
  'preparedStatements',
  'devices',
  'users',
  'clock',
  'secretKeys',
  'guessThrottle',
  'sendLimits',
  'enrolmentTimeout',
  'events',
  'audit',
  'logger',
  'migrationsTable',
  'messages',
]);

interface Registered {
  readonly plugin: AnyDevicePlugin;
  readonly model: DeviceClass;
}

/**
 * An otpkit instance: the registry of device plugins bound to one knex, and the low-level API.
 * {@link createOtp} returns it typed by its plugins ({@link TypedOtp}); layers above core take
 * any `Otp`.
 */
export class Otp {
  /** The knex instance devices are stored through. */
  readonly knex: Knex;
  /** The knex instance of the reads that may go to a replica (`readKnex`; `knex` when none is configured). */
  readonly readKnex: Knex;
  /** The injected clock. */
  readonly clock: Clock;
  /** Seals and opens secrets at rest. */
  readonly secretBox: SecretBox;
  /** The application's users table. */
  readonly users: UserDirectory;
  /** Remembered browsers: list, revoke, and (for otpkit's Express layer) remember and find. */
  readonly browsers: RememberedBrowsers;
  /** The message catalog: locales, negotiation and lookups. */
  readonly messages: Messages;
  /** Per-user settings: the preferred device, and when a two-factor policy first applied. */
  readonly userSettings: UserSettings;
  readonly #registry: ReadonlyMap<string, Registered>;
  readonly #verification: Verification;
  readonly #migrationsTable: string;
  readonly #enrolmentTimeoutMs: number;
  readonly #children: ChildRowStore;
  readonly #events: EventBus;
  /** The hot-path driver on `readKnex`, or `null` when every read goes to the primary. */
  readonly #readDriver: SqlDriver | null;

  /** Use {@link createOtp}. */
  constructor(options: OtpOptions) {
    if (options === null || typeof options !== 'object') throw new ConfigurationError('createOtp needs an options object');
    if ('matchThrottle' in options) {
      throw new ConfigurationError('matchThrottle was replaced by guessThrottle, the budget every guessing path shares: rename the option');
    }
    checkOptionKeys('createOtp', options, OTP_OPTION_KEYS);
    if (typeof options.knex !== 'function' || options.knex.client === undefined) {
      throw new ConfigurationError('knex must be a knex instance');
    }
    if (options.knex.isTransaction === true) {
      // otpkit begins and commits its own transactions on pooled connections: inside a transaction's
      // connection, its COMMIT would commit (and its ROLLBACK discard) the application's work.
      throw new ConfigurationError('knex must be the knex instance, not a transaction (knex.transaction()): otpkit runs its own transactions');
    }
    if (!Array.isArray(options.devices) || options.devices.length === 0) {
      throw new ConfigurationError('devices must list at least one device plugin');
    }
    this.knex = options.knex;
    this.clock = options.clock ?? systemClock;
    if (typeof this.clock !== 'function') throw new ConfigurationError('clock must be a function returning epoch ms');
    this.secretBox = new SecretBox(options.secretKeys);
    this.users = new UserDirectory(this.knex, options.users);
    const logger = resolveLogger('createOtp', options.logger);
    const preparedStatements = options.preparedStatements ?? true;
    if (typeof preparedStatements !== 'boolean') throw new ConfigurationError('preparedStatements must be true or false');
    const driver = driverFor(this.knex, { preparedStatements });
    this.#events = new EventBus({ knex: this.knex, driver, clock: this.clock, logger, events: options.events, audit: options.audit });
    this.browsers = new RememberedBrowsers(
      this.knex,
      this.clock,
      this.secretBox,
      (persistentId) => this.deviceFromPersistentId(persistentId),
      (event, meta) => this.#events.emit(event, meta),
    );
    this.userSettings = new UserSettings(
      this.knex,
      this.clock,
      (trx, persistentId) => this.#lockDevice(trx, persistentId),
      (event, meta) => this.#events.emit(event, meta),
    );
    this.#migrationsTable = options.migrationsTable ?? 'otpkit_migrations';
    this.readKnex = options.readKnex ?? this.knex;
    this.#readDriver = this.readKnex === this.knex ? null : replicaDriverFor(this.knex, this.readKnex, { preparedStatements });
    this.messages = new Messages(options.messages);
    const guessThrottle = resolveThrottlePolicy(
      options.guessThrottle,
      (message) => {
        throw new ConfigurationError(`guessThrottle: ${message}`);
      },
      DEFAULT_GUESS_THROTTLE,
    );
    const enrolmentTimeout = options.enrolmentTimeout ?? 3600;
    if (!Number.isFinite(enrolmentTimeout) || enrolmentTimeout <= 0) {
      throw new ConfigurationError('enrolmentTimeout must be a number of seconds > 0');
    }
    this.#enrolmentTimeoutMs = enrolmentTimeout * 1000;

    this.#children = new ChildRowStore(this.knex, this.secretBox);
    const registry = new Map<string, Registered>();
    const tables = new Map<string, DeviceTable>();
    options.devices.forEach((plugin: unknown, index) => checkPluginEntry(plugin, index));
    for (const plugin of options.devices) {
      if (registry.has(plugin.type)) throw new ConfigurationError(`device type "${plugin.type}" is registered twice`);
      const model = this.#bind(plugin);
      registry.set(plugin.type, { plugin, model });
      tables.set(plugin.type, new DeviceTable(driver, model, isGuessable(plugin.tokenEntropyBits)));
    }
    this.#registry = registry;
    this.#verification = new Verification({
      driver,
      clock: this.clock,
      secretBox: this.secretBox,
      tables,
      userBudget: new UserBudgetTable(driver),
      destinationQuota: new DestinationQuotaTable(driver),
      guessThrottle,
      sendLimits: resolveSendLimits(options.sendLimits),
    });
    if (!this.secretBox.encrypts) {
      logger.warn(
        'no secretKeys configured: device secrets are stored in plaintext. Configure secretKeys in production.',
      );
    }
  }

  /** The configured plugins, in order. */
  get plugins(): readonly AnyDevicePlugin[] {
    return [...this.#registry.values()].map(({ plugin }) => plugin);
  }

  /**
   * The model class of a device type, bound to this instance's knex, for your own queries.
   * @throws ConfigurationError for a type that is not configured.
   */
  model(type: string): DeviceClass {
    return this.#registered(type).model;
  }

  /**
   * A knex migration source over core's and every configured plugin's migrations; after each
   * plugin's own, core's step that adds the `purpose` column to an older table
   * (`<type>/core_0001_device_purpose`).
   */
  migrationSource(): Knex.MigrationSource<unknown> {
    return schemaMigrationSource(this.plugins);
  }

  /** Creates or updates the tables of core and of the configured plugins. */
  async migrate(): Promise<void> {
    await this.#migrateLatest(this.migrationSource());
  }

  /**
   * Creates or updates the tables of a package built on otpkit that is not a device plugin (token
   * sessions), recorded in this instance's migrations table as `<owner>/<name>`.
   * @throws ConfigurationError when `owner` is `core` or the type of a configured plugin, whose
   *   migrations {@link Otp.migrate} runs.
   */
  async migrateOwner(owner: string, migrations: readonly OtpMigration[]): Promise<void> {
    if (owner === 'core' || this.#registry.has(owner)) {
      throw new ConfigurationError(`migrateOwner: "${owner}" is core or a configured plugin: run otp.migrate() for it`);
    }
    await this.#migrateLatest(otpMigrationSource([{ owner, migrations }]));
  }

  /** Runs the pending migrations of `source`, recorded in this instance's migrations table. */
  async #migrateLatest(source: Knex.MigrationSource<unknown>): Promise<void> {
    await this.knex.migrate.latest({ migrationSource: source, tableName: this.#migrationsTable, disableMigrationsListValidation: true });
  }

  /**
   * Creates a device for a user (reported as `deviceAdded`). Plugins validate their own input and fill in secrets.
   * @throws ValidationError for bad input; ConfigurationError for an unknown type.
   */
  async createDevice(type: string, userId: UserId, input: CreateDeviceInput & Readonly<Record<string, unknown>> = {}, meta?: EventMeta): Promise<Device<any, any>> {
    const { plugin, model } = this.#registered(type);
    const owner = storedUserId(userId);
    if (input === null || typeof input !== 'object') throw new ValidationError('the device input must be an object', { field: 'input' });
    const common: CreateDeviceInput = input;
    const name = validateDeviceName(common.name ?? plugin.defaultName);
    if (common.confirmed !== undefined && typeof common.confirmed !== 'boolean') {
      throw new ValidationError('confirmed must be a boolean', { field: 'confirmed' });
    }
    const requested = common.purpose === undefined ? undefined : validateDevicePurpose(common.purpose, plugin.purposes, type);
    await this.#sweep(owner, meta);
    const now = this.clock();
    const { purpose: chosen, ...own } = plugin.initialize ? await plugin.initialize(input, { now, secretBox: this.secretBox, userId: owner, users: this.users }) : {};
    const purpose = chosen === undefined ? (requested ?? plugin.defaultPurpose) : validateDevicePurpose(chosen, plugin.purposes, type);
    if (requested !== undefined && purpose !== requested) {
      throw new ValidationError(`this ${type} device's purpose cannot be ${requested}`, { field: 'purpose' });
    }
    const device = await stored(() =>
      this.knex.transaction((trx) =>
        insertDevice(trx, model, this.secretBox, {
          own,
          userId: owner,
          name,
          confirmed: common.confirmed ?? false,
          purpose,
          createdAt: now,
          lastUsedAt: null,
          throttlingFailureCount: 0,
          throttlingFailureTimestamp: null,
        }),
      ),
    );
    await this.#events.emit({ type: 'deviceAdded', userId: owner, deviceId: device.persistentId, confirmed: device.confirmed }, meta);
    return device;
  }

  /**
   * Imports one user's devices made by another system (django-otp, a file of Key-URIs) with
   * their state: each plugin's `restore` checks and rebuilds its devices (keys sealed under the
   * configured keys, codes digested), then every device it accepts is written in one transaction
   * with the record of its `source`, so the user's import is whole or absent and a source imported
   * before (even one removed since) is never imported again: for this user it is
   * `already-imported`, for another user `invalid` (field `source`). A device of a type no configured
   * plugin restores is `unsupported`; state its plugin refuses, and a second device of a plugin
   * with one per user (backup codes), is `invalid`; neither stops the
   * others. Each created device is reported as `deviceAdded` with `imported: true` after commit. With `dryRun`, nothing
   * is written.
   * @returns one result per device, in order.
   * @throws ValidationError for a bad user id or a list that is not an array; StorageError.
   */
  async importDevices(userId: UserId, devices: readonly ImportedDevice[], options: ImportOptions = {}, meta?: EventMeta): Promise<ImportResult[]> {
    const owner = storedUserId(userId);
    if (!Array.isArray(devices)) throw new ValidationError('devices must be an array', { field: 'devices' });
    const dependencies = { knex: this.knex, children: this.#children, secretBox: this.secretBox, users: this.users, registered: (type: string) => this.#registry.get(type) };
    const { results, created } = await importUserDevices(dependencies, owner, this.clock(), devices, options ?? {});
    for (const device of created) {
      await this.#events.emit({ type: 'deviceAdded', userId: owner, deviceId: device.persistentId, confirmed: device.confirmed, imported: true }, meta);
    }
    return results;
  }

  /**
   * Enrols a device of `type`: creates it (then removes the user's abandoned, unconfirmed ones of
   * that type) and runs its plugin's enrolment, which returns what the user must see once: a
   * Key-URI and key (`{ otpauthUri, secret }`, TOTP adds `qrSvg` and `qrPng`), a list of backup
   * codes (`{ codes }`), or where the first code went (`{ message, validUntil }`). A plugin with one
   * device per user (backup codes) re-enrols the existing device instead. The device is confirmed
   * by its first token (`confirmDevice`) unless its plugin enrols it confirmed. When the first code
   * cannot be sent (a send limit), the new device is removed and the refusal returned.
   * `challengeContext` goes with that first code (as {@link Otp.generateChallenge}'s `context`: its
   * `locale`, template values).
   * @throws as {@link Otp.createDevice}, and `DeliveryError` when sending failed (the new device is then removed).
   */
  async enroll(
    type: string,
    userId: UserId,
    input: CreateDeviceInput & Readonly<Record<string, unknown>> = {},
    meta?: EventMeta,
    challengeContext: ChallengeContext = {},
  ): Promise<EnrolOutcome> {
    const { plugin, model } = this.#registered(type);
    const owner = storedUserId(userId);
    // Checked before an existing device (backup codes) is re-enrolled: its purpose is never changed.
    if (input !== null && typeof input === 'object' && input.purpose !== undefined) validateDevicePurpose(input.purpose, plugin.purposes, type);
    const devices = await this.devicesForUser(owner);
    const ofType = devices.filter((device) => device instanceof model);
    const existing = plugin.onePerUser ? ofType[0] : undefined;
    if (existing !== undefined && input.purpose !== undefined && input.purpose !== existing.purpose) {
      throw new ValidationError(`the ${type} device is for ${existing.purpose}: re-enrolling never changes its purpose`, { field: 'purpose' });
    }
    let device = existing;
    if (device === undefined) {
      // Created first: input the plugin refuses leaves an enrolment in progress as it was.
      device = await this.createDevice(type, owner, { ...input, confirmed: plugin.enrolsConfirmed }, meta);
      for (const stale of ofType.filter((candidate) => !candidate.confirmed)) await this.removeDevice(owner, stale.persistentId, meta);
    }
    const enrolled = device;
    let result: EnrolmentResult<object>;
    try {
      result = await enrolled.enroll({
        input,
        existing: existing !== undefined,
        children: this.#children.writer(enrolled),
        challenge: (context) => this.generateChallenge(owner, enrolled.persistentId, { ...challengeContext, ...context }, meta),
        report: (event) => this.recordEvent({ ...event, userId: owner, deviceId: enrolled.persistentId }, meta),
      });
    } catch (error) {
      if (existing === undefined) await this.removeDevice(owner, enrolled.persistentId, meta);
      throw error;
    }
    if ('refused' in result) {
      if (existing === undefined) await this.removeDevice(owner, enrolled.persistentId, meta);
      return result.refused;
    }
    const current = (await this.deviceFromPersistentId(enrolled.persistentId)) ?? enrolled;
    return { ok: true, device: current, display: result.display, existing: existing !== undefined };
  }

  /**
   * Issues one single-use code for an administrator to hand to a user who has no way left to sign
   * in (a lost phone): the first configured plugin that declares `bootstrapCode` (backup codes,
   * `@otpkit/static`) adds one code to the user's device, creating it when there is none. Reported
   * as `backupCodeAdded` (and `deviceAdded` when the device was created), with `meta` (pass the
   * administrator as `actor`). Show the code once; it is stored only as a digest.
   * @returns the code in clear, or `null` when no configured plugin issues such codes.
   * @throws ValidationError for a bad user id; StorageError.
   */
  async issueBootstrapCode(userId: UserId, meta?: EventMeta): Promise<string | null> {
    const owner = storedUserId(userId);
    const plugin = this.plugins.find((candidate) => candidate.bootstrapCode !== undefined);
    if (plugin?.bootstrapCode === undefined) return null;
    const enrolled = await this.enroll(plugin.type, owner, plugin.bootstrapCode.input, meta);
    if (!enrolled.ok) throw new ConfigurationError(`device plugin "${plugin.type}": its bootstrapCode enrolment was refused (${enrolled.reason})`);
    return plugin.bootstrapCode.code(enrolled.display);
  }

  /**
   * The user's devices, in plugin order then by id, read from the primary, or with
   * `{ replica: true }` from `readKnex` (a listing to display: it may be as old as the replica's lag;
   * the primary when the replica cannot be reached).
   * @throws ValidationError (field `purpose`) for a `purpose` filter other than `second-factor` or `login`.
   */
  async devicesForUser(userId: UserId, options: DevicesForUserOptions = {}): Promise<Device[]> {
    if ('forVerify' in options) {
      throw new ConfigurationError('devicesForUser no longer locks rows (forVerify): verify, match and confirmDevice lock what they check');
    }
    const { purpose } = options;
    if (purpose !== undefined && purpose !== 'second-factor' && purpose !== 'login') {
      throw new ValidationError("the purpose filter must be 'second-factor' or 'login'", { field: 'purpose' });
    }
    const owner = storedUserId(userId);
    const list = (knex: Knex) =>
      stored(() =>
        Promise.all(
          [...this.#registry.values()].map(({ model }) => {
            const query = model.query(knex).where('user_id', owner).orderBy('id');
            if (options.confirmed !== undefined) query.where('confirmed', options.confirmed);
            if (purpose !== undefined) query.whereIn('purpose', purposesServing(purpose));
            return query as unknown as Promise<Device[]>;
          }),
        ),
      );
    const lists = options.replica === true && this.#readDriver !== null ? await orOnFailure(list(this.readKnex), () => list(this.knex)) : await list(this.knex);
    // Re-checked in JavaScript: ownership never rests on the database's collation alone.
    return lists.flat().filter((device) => device.userId === owner);
  }

  /**
   * Whether the user has two-factor configured: at least one confirmed device that serves as a
   * second factor (a `login`-only device does not count).
   */
  async userHasDevice(userId: UserId): Promise<boolean> {
    const owner = storedUserId(userId);
    for (const { model } of this.#registry.values()) {
      const found = await stored(() =>
        model.query().select('user_id').where({ user_id: owner, confirmed: true }).whereIn('purpose', purposesServing('second-factor')),
      );
      if (found.some((row) => row.userId === owner)) return true;
    }
    return false;
  }

  /**
   * The device a persistent id names, or `null` for an unknown or malformed id. It runs on every
   * request of a verified session (`otpMiddleware`), so it reads with a prepared statement. With
   * `{ replica: true }` it reads `readKnex` first and the primary only when the replica has no such
   * device or shows it unconfirmed (it may not have replayed the enrolment yet): the replica can
   * keep a removed device for as long as it lags, never hide a new one. A replica that cannot be
   * reached is skipped for the primary.
   */
  async deviceFromPersistentId<D extends Device<any, any> = Device>(persistentId: unknown, options: ReadOptions = {}): Promise<D | null> {
    if (options?.replica === true && this.#readDriver !== null) {
      const replicated = await orOnFailure(this.#verification.find(persistentId, this.#readDriver), () => Promise.resolve(null));
      if (replicated !== null && replicated.confirmed) return replicated as D;
    }
    return (await this.#verification.find(persistentId)) as D | null;
  }

  /**
   * Verifies a token against one confirmed second-factor device of the user, in one transaction
   * with the device row locked. Returns the device, or `null` (wrong, malformed or replayed token;
   * throttled; unknown, unconfirmed, `login`-only or another user's device). {@link Otp.verify} says which.
   */
  async verifyToken(userId: UserId, persistentId: unknown, token: unknown, meta?: EventMeta): Promise<Device | null> {
    const outcome = await this.verify(userId, persistentId, token, meta);
    return outcome.ok ? outcome.device : null;
  }

  /** {@link Otp.verifyToken}, with the reason for a refusal as data. Reported as `verified`, `failed` or `throttled`. */
  async verify(userId: UserId, persistentId: unknown, token: unknown, meta?: EventMeta): Promise<VerifyOutcome> {
    const owner = storedUserId(userId);
    const { outcome } = await this.#verification.verify(owner, persistentId, token, 'second-factor');
    await this.#events.verification(owner, persistentId, outcome, 'verified', meta);
    return outcome;
  }

  /**
   * Passwordless sign-in: verifies a token against one confirmed device of the user whose purpose
   * is `login` or `both`, the same way as {@link Otp.verify} (one transaction, the row locked, the
   * user's guessing budget shared). A `second-factor` device is `no_device` here: it never signs in
   * alone. Reported as `verified`, `failed` or `throttled`.
   */
  async verifyLogin(userId: UserId, persistentId: unknown, token: unknown, meta?: EventMeta): Promise<VerifyOutcome> {
    const owner = storedUserId(userId);
    const { outcome } = await this.#verification.verify(owner, persistentId, token, 'login');
    await this.#events.verification(owner, persistentId, outcome, 'verified', meta);
    return outcome;
  }

  /**
   * Tries a token against each of the user's confirmed second-factor devices (`login`-only ones
   * are never tried), in plugin order; returns the first
   * that matches, or `null`. A miss counts against the user's guessing budget (`guessThrottle`),
   * not against each device tried; backup codes match even when the budget is spent.
   */
  async matchToken(userId: UserId, token: unknown, meta?: EventMeta): Promise<Device | null> {
    const outcome = await this.match(userId, token, meta);
    return outcome.ok ? outcome.device : null;
  }

  /** {@link Otp.matchToken}, with the reason for a refusal as data. Reported as `verified`, `failed` or `throttled`. */
  async match(userId: UserId, token: unknown, meta?: EventMeta): Promise<VerifyOutcome> {
    const owner = storedUserId(userId);
    const outcome = await this.#verification.match(owner, token);
    await this.#events.verification(owner, null, outcome, 'verified', meta);
    return outcome;
  }

  /**
   * Confirms a device (enrolment), of any purpose, with a valid token from it. Verifies like
   * {@link Otp.verify} but also accepts the unconfirmed device while its enrolment has not expired (`enrolmentTimeout`);
   * the token is spent, so it cannot log in afterwards. Reported as `deviceConfirmed` (`verified`
   * for a device that was already confirmed), `failed` or `throttled`.
   */
  async confirmDevice(userId: UserId, persistentId: unknown, token: unknown, meta?: EventMeta): Promise<VerifyOutcome> {
    const owner = storedUserId(userId);
    const { outcome, confirmed } = await this.#verification.verify(owner, persistentId, token, 'any');
    await this.#events.verification(owner, persistentId, outcome, confirmed ? 'deviceConfirmed' : 'verified', meta);
    return outcome;
  }

  /**
   * Asks an interactive device (email, SMS), of any purpose (a sign-in code too), to send a token. The cooldown and the daily send
   * limits (`sendLimits`; `reason: 'daily_limit'`) are reported as data. A sent token is reported as `challengeSent`.
   * `context` reaches the device's delivery: its `locale` (a tag of `otp.messages`) picks the
   * language of the built-in code messages; the plugins fill their templates from the rest.
   * @throws DeliveryError when sending failed; the token is then withdrawn, no cooldown charged and nothing reported.
   */
  async generateChallenge(userId: UserId, persistentId: unknown, context: ChallengeContext = {}, meta?: EventMeta): Promise<ChallengeOutcome> {
    const owner = storedUserId(userId);
    const outcome = await this.#verification.challenge(owner, persistentId, context);
    await this.#events.challenge(owner, outcome, meta);
    return outcome;
  }

  /**
   * Counts one message the application sends on the user's behalf without a token (a rescue help
   * request to the administrators, say) against the user's daily send limit (`sendLimits.perUser`),
   * which the codes otpkit sends share. Over the limit: `{ ok: false, reason: 'daily_limit', retryAt }`.
   */
  countUserSend(userId: UserId): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: 'daily_limit'; readonly retryAt: number }> {
    return this.#verification.countUserSend(storedUserId(userId));
  }

  /**
   * Counts one message sent to an address that is no device's yet (a registration code of
   * passwordless sign-in) against that destination's daily limit (`sendLimits.perDestination`,
   * shared with the enrolment codes sent to it). Over the limit: `{ ok: false, reason: 'daily_limit', retryAt }`.
   * @throws ValidationError when `destination` is not a non-empty string.
   */
  countDestinationSend(destination: string): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: 'daily_limit'; readonly retryAt: number }> {
    if (typeof destination !== 'string' || destination.trim() === '') throw new ValidationError('destination must be a non-empty string', { field: 'destination' });
    return this.#verification.countDestinationSend(destination);
  }

  /**
   * Deletes every unconfirmed device whose enrolment expired (`enrolmentTimeout`), with the rows
   * its plugin keeps elsewhere, each reported as `enrolmentExpired`. Run it from a scheduler
   * (`otpkit sweep`); `createDevice` also sweeps the user's own.
   * @returns how many devices were deleted.
   */
  sweepExpiredEnrolments(meta?: EventMeta): Promise<number> {
    return this.#sweep(null, meta);
  }

  /** Deletes expired enrolments, of one user (`owner`) or of everyone (`null`), in batches of 100 locked rows. */
  async #sweep(owner: string | null, meta: EventMeta | undefined): Promise<number> {
    const cutoff = this.clock() - this.#enrolmentTimeoutMs;
    let deleted = 0;
    for (const { model } of this.#registry.values()) {
      for (;;) {
        const batch = await stored(() =>
          this.knex.transaction(async (trx) => {
            const query = model.query(trx).where({ confirmed: false }).where('created_at', '<=', cutoff).orderBy('id').limit(100).forUpdate();
            if (owner !== null) query.where('user_id', owner);
            const expired = ((await query) as unknown as Device[]).filter((device) => owner === null || device.userId === owner);
            for (const device of expired) await deleteDevice(trx, model, device.id);
            return expired;
          }),
        );
        for (const device of batch) {
          await this.#events.emit({ type: 'enrolmentExpired', userId: device.userId, deviceId: device.persistentId }, meta);
        }
        deleted += batch.length;
        if (batch.length < 100) break;
      }
    }
    return deleted;
  }

  /**
   * Call when the user's password changes (or is reset): revokes every remembered browser of the
   * user, so a stolen cookie stops working with the old password (reported as `browsersRevoked`),
   * then reports `passwordChanged`, on which token sessions end every session of the user.
   * @returns how many browsers were revoked.
   */
  async passwordChanged(userId: UserId, meta?: EventMeta): Promise<number> {
    const owner = storedUserId(userId);
    const revoked = await this.browsers.forgetAll(owner, meta);
    await this.#events.emit({ type: 'passwordChanged', userId: owner, deviceId: null }, meta);
    return revoked;
  }

  /**
   * Adds event hooks after `createOtp`, for a package built on otpkit: `@otpkit/tokens` ends the
   * sessions a removed device verified, and every session at a password change. They run after the
   * hooks of `createOtp({ events })`, under the same rules (after commit, awaited, a throw logged).
   * @returns a function that removes them.
   * @throws ConfigurationError for a hook that is not a function of a known event.
   */
  subscribe(hooks: OtpEventHooks): () => void {
    return this.#events.subscribe(hooks);
  }

  /**
   * Deletes one of the user's devices, revokes the browsers it remembered and clears it as the
   * user's preferred device (reported as `deviceRemoved` only). Returns whether there was one to delete.
   */
  async removeDevice(userId: UserId, persistentId: unknown, meta?: EventMeta): Promise<boolean> {
    const owner = storedUserId(userId);
    if (parsePersistentId(persistentId) === null) return false;
    const removed = await stored(() =>
      this.knex.transaction(async (trx) => {
        const device = await this.#lockDevice(trx, persistentId as string);
        if (device === null || device.userId !== owner) return null;
        await deleteDevice(trx, this.#registered(device.deviceType).model, device.id);
        await this.browsers.forgetDevice(trx, device.persistentId);
        await this.userSettings.forgetDevice(trx, owner, device.persistentId);
        return device;
      }),
    );
    if (removed === null) return false;
    await this.#events.emit({ type: 'deviceRemoved', userId: owner, deviceId: removed.persistentId, confirmed: removed.confirmed }, meta);
    return true;
  }

  /**
   * An administrator's reset of the user's throttles: the guessing budget (`guessThrottle`) and
   * every device's own failure count, in one transaction, so the user may try again at once.
   * Reported as `throttleReset` on every call (`cleared`: whether anything was throttled), with
   * the administrator as `meta.actor`.
   * @returns whether any failure was counted before the reset.
   * @throws ValidationError for a bad user id; StorageError.
   */
  async resetThrottle(userId: UserId, meta?: EventMeta): Promise<boolean> {
    const owner = storedUserId(userId);
    const cleared = await resetUserThrottle(this.knex, this.#models(), owner);
    await this.#events.emit({ type: 'throttleReset', userId: owner, deviceId: null, cleared }, meta);
    return cleared;
  }

  /**
   * The migration path for secrets: reseals every stored secret under the newest key, bound to its
   * table, column, row id and owner (plaintext and values sealed by 0.1 included), and keys the
   * unkeyed digests of backup codes. Rows are locked in batches, so it is safe while verifications run.
   * A rotation that rewrote values is reported as `secretsRotated` (about no user: `userId` is `null`).
   * @returns how many stored values were rewritten.
   * @throws SecretError for a value no configured key opens (see {@link Otp.checkSecrets}).
   */
  async rotateSecrets(meta?: EventMeta): Promise<number> {
    const rewritten = await stored(() => resealSecrets(this.knex, this.secretBox, this.#models()));
    this.secretBox.forgetOpened();
    if (rewritten > 0) await this.#events.emit({ type: 'secretsRotated', userId: null, deviceId: null, rewritten }, meta);
    return rewritten;
  }

  /**
   * Reports an event that happened outside otpkit's own methods, to the same hooks and audit table:
   * a plugin's device method (new backup codes) or the application layer (`@otpkit/express`
   * reports a session verified by a remembered browser, and rescues). Call it after the change is
   * done; never put a token, secret or code in it.
   * @throws ValidationError for an unknown type, a bad user or device id, or a field that is not a
   *   short printable string, a finite number, a boolean or `null`.
   */
  recordEvent(event: ReportedEvent, meta?: EventMeta): Promise<void> {
    return this.#events.report(event, meta);
  }

  /**
   * The user's audit events, newest first (`limit`, default 50; `before`: the `id` of the last
   * event of the previous page).
   * @throws ConfigurationError when the audit table is off (`createOtp({ audit: true })`);
   *   ValidationError for a bad user id, `limit` or `before`.
   */
  async auditEvents(userId: UserId, query: AuditEventsQuery = {}): Promise<AuditEvent[]> {
    const audit = this.#events.audit;
    if (audit === null) throw new ConfigurationError('the audit table is off: turn it on with createOtp({ audit: true })');
    return audit.list(storedUserId(userId), query);
  }

  /**
   * Deletes the audit rows older than `audit.retentionDays`. Run it from a scheduler (`otpkit sweep`).
   * @returns how many rows were deleted (0 when the audit table is off).
   */
  async sweepAuditEvents(): Promise<number> {
    return this.#events.audit === null ? 0 : this.#events.audit.sweep();
  }

  /**
   * Every stored secret and digest the configured keys cannot use (unknown key, failing to
   * authenticate, plaintext, sealed by 0.1, unkeyed digest). Run it at start-up: a listed row fails
   * only the verification or display that needs its secret; listing devices keeps working.
   */
  async checkSecrets(): Promise<SecretReport[]> {
    return stored(() => findSecretProblems(this.knex, this.secretBox, this.#models()));
  }

  #models(): DeviceClass[] {
    return [...this.#registry.values()].map(({ model }) => model);
  }

  /** The device a persistent id names, its row locked until `trx` ends; `null` for an unknown type or row. */
  async #lockDevice(trx: Knex.Transaction, persistentId: string): Promise<Device | null> {
    const parts = parsePersistentId(persistentId);
    const registered = parts === null ? undefined : this.#registry.get(parts.type);
    if (parts === null || registered === undefined) return null;
    return ((await registered.model.query(trx).findById(parts.id).forUpdate()) as Device | undefined) ?? null;
  }

  #registered(type: string): Registered {
    const registered = this.#registry.get(type);
    if (registered === undefined) throw new ConfigurationError(`device type "${String(type)}" is not configured`);
    return registered;
  }

  #bind(plugin: AnyDevicePlugin): DeviceClass {
    const bound = plugin.model.bindKnex(this.knex) as unknown as new () => object;
    const runtime: DeviceRuntime = {
      clock: this.clock,
      secretBox: this.secretBox,
      throttle: plugin.throttle,
      tokenEntropyBits: plugin.tokenEntropyBits,
      enrolmentTimeoutMs: this.#enrolmentTimeoutMs,
      options: plugin.options,
      users: this.users,
      children: this.#children,
      messages: this.messages,
    };
    // A subclass per instance, so two instances sharing one knex keep their own runtime.
    class InstanceDevice extends bound {}
    Object.defineProperty(InstanceDevice, 'runtime', { value: runtime });
    Object.defineProperty(InstanceDevice, 'name', { value: plugin.model.name });
    return InstanceDevice as unknown as DeviceClass;
  }

}

/** `read`'s result, or `fallback`'s when it fails with a `StorageError` (a replica that cannot be reached). */
async function orOnFailure<T>(read: Promise<T>, fallback: () => Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (!(error instanceof StorageError)) throw error;
    return fallback();
  }
}

/** Deletes a device and its declared child rows, in `trx`. */
async function deleteDevice(trx: Knex.Transaction, model: DeviceClass, id: number): Promise<void> {
  for (const child of Object.values(model.children)) await trx(child.table).delete().where('device_id', id);
  await model.query(trx).deleteById(id);
}

/**
 * Refuses what is not a device plugin in `devices`, naming the fix: an uncalled factory
 * (`devices: [totp]`) most of all.
 */
function checkPluginEntry(plugin: unknown, index: number): void {
  if (typeof plugin === 'function') {
    const name = plugin.name || 'the factory';
    throw new ConfigurationError(`devices[${index}] is the plugin factory ${name} itself: call it, as in devices: [${name}()]`);
  }
  if (plugin === null || typeof plugin !== 'object' || typeof (plugin as { model?: unknown }).model !== 'function') {
    throw new ConfigurationError(`devices[${index}] is not a device plugin: list what the plugin factories return, as in devices: [totp()]`);
  }
}

/**
 * Creates an otpkit instance: validates the options (throwing `ConfigurationError` at start-up),
 * binds every plugin's model to `knex`, and prepares the verification path. The plugin list's
 * types are inferred, so `createDevice`, `enroll` and `model` know each type's model and input.
 */
export function createOtp<const P extends readonly AnyDevicePlugin[]>(options: OtpOptions & { readonly devices: P }): TypedOtp<P> {
  return new Otp(options) as TypedOtp<P>;
}
