/**
 * Per-user settings core keeps for the layers above it (`otp.userSettings`): the device the user
 * prefers to be asked for first, and when a two-factor policy first applied to the user.
 * @module
 */
import type { Knex } from 'knex';
import type { Clock } from './clock.js';
import type { Device } from './device.js';
import { servesUse } from './device-purpose.js';
import { ValidationError } from './errors.js';
import type { EventMeta } from './events.js';
import type { EventInput } from './internal/event-bus.js';
import { stored } from './internal/stored.js';
import { parsePersistentId } from './persistent-id.js';
import { storedUserId, type UserId } from './user-id.js';

const TABLE = 'otp_user_setting';

/** A user's settings, as {@link UserSettings.get} reads them. */
export interface UserSettingsRecord {
  /**
   * The persistent id of the device the user prefers to be asked for first (`totp/3`), or `null`.
   * Removing the device clears it; a layer that shows it still falls back to another device when
   * it is not among the user's confirmed second-factor devices.
   */
  readonly preferredDevice: string | null;
  /** When a two-factor policy first applied to the user (epoch ms, {@link UserSettings.startPolicy}), or `null`. */
  readonly policySince: number | null;
}

/** Finds a device by persistent id and locks its row until `trx` ends; `null` for an unknown one. */
export type LockDevice = (trx: Knex.Transaction, persistentId: string) => Promise<Device | null>;

/** Reports a committed change to the otp instance's hooks and audit table. */
type Report = (event: EventInput, meta?: EventMeta) => Promise<void>;

interface Row {
  user_id: string;
  preferred_device: string | null;
  policy_since: number | string | null;
}

const NO_SETTINGS: UserSettingsRecord = Object.freeze({ preferredDevice: null, policySince: null });

/**
 * The user settings table `otp_user_setting` (`otp.userSettings`): one row per user who has a
 * setting. Reading is one SELECT; a user without a row has the defaults (`null`s).
 */
export class UserSettings {
  readonly #knex: Knex;
  readonly #clock: Clock;
  readonly #lockDevice: LockDevice;
  readonly #report: Report;

  /** Built by `createOtp`; use `otp.userSettings`. */
  constructor(knex: Knex, clock: Clock, lockDevice: LockDevice, report: Report) {
    this.#knex = knex;
    this.#clock = clock;
    this.#lockDevice = lockDevice;
    this.#report = report;
  }

  /**
   * The user's settings, with `null`s for a user who has none.
   * @throws ValidationError for a bad user id; StorageError.
   */
  async get(userId: UserId): Promise<UserSettingsRecord> {
    const owner = storedUserId(userId);
    const row = (await stored(() => this.#knex(TABLE).select('user_id', 'preferred_device', 'policy_since').where('user_id', owner).first())) as Row | undefined;
    // Re-checked in JavaScript: ownership never rests on the database's collation alone.
    if (row === undefined || row.user_id !== owner) return NO_SETTINGS;
    return Object.freeze({ preferredDevice: row.preferred_device, policySince: row.policy_since === null ? null : Number(row.policy_since) });
  }

  /**
   * Sets the device the user is asked for first, or clears the preference (`null`). The device
   * must be one of the user's confirmed devices that serve as a second factor (purpose
   * `second-factor` or `both`); its row is locked while the preference is written, so a device
   * removed at the same time is never left preferred. A change is reported as
   * `preferredDeviceChanged` (`deviceId`: the device, or `null`); naming the device already
   * preferred changes nothing and reports nothing.
   * @throws ValidationError (field `device`) for anything else; (field `userId`) for a bad user id.
   */
  async setPreferredDevice(userId: UserId, persistentId: string | null, meta?: EventMeta): Promise<void> {
    const owner = storedUserId(userId);
    if (persistentId !== null && parsePersistentId(persistentId) === null) {
      throw new ValidationError('device must be the persistent id of one of your devices, or null', { field: 'device' });
    }
    const changed = await stored(() =>
      this.#knex.transaction(async (trx) => {
        if (persistentId !== null) {
          const device = await this.#lockDevice(trx, persistentId);
          if (device === null || device.userId !== owner || !device.confirmed || !servesUse(device.purpose, 'second-factor')) {
            throw new ValidationError('device must be one of your confirmed second-factor devices', { field: 'device' });
          }
        }
        // Creates the row if needed and locks it (an upsert locks on every dialect), then reads it.
        await trx(TABLE).insert({ user_id: owner }).onConflict('user_id').merge(['user_id']);
        const row = (await trx(TABLE).select('preferred_device').where('user_id', owner).first()) as Pick<Row, 'preferred_device'>;
        if (row.preferred_device === persistentId) return false;
        await trx(TABLE).update({ preferred_device: persistentId }).where('user_id', owner);
        return true;
      }),
    );
    if (changed) await this.#report({ type: 'preferredDeviceChanged', userId: owner, deviceId: persistentId }, meta);
  }

  /**
   * When a two-factor policy first applied to the user: the injected clock's time on the first
   * call, the stored time on every later one. Concurrent first calls store one time and all return
   * it (insert-if-absent, then a write only while it is unset). A layer that gives users a grace
   * period to enrol counts it from here.
   * @returns epoch ms.
   * @throws ValidationError for a bad user id; StorageError.
   */
  async startPolicy(userId: UserId): Promise<number> {
    const owner = storedUserId(userId);
    const known = await this.get(owner);
    if (known.policySince !== null) return known.policySince;
    const now = this.#clock();
    return stored(async () => {
      await this.#knex(TABLE).insert({ user_id: owner, policy_since: now }).onConflict('user_id').ignore();
      await this.#knex(TABLE).update({ policy_since: now }).where('user_id', owner).whereNull('policy_since');
      const row = (await this.#knex(TABLE).select('policy_since').where('user_id', owner).first()) as Pick<Row, 'policy_since'>;
      return Number(row.policy_since);
    });
  }

  /** Clears the preference for a device being removed, inside the transaction that removes it. */
  async forgetDevice(trx: Knex.Transaction, owner: string, persistentId: string): Promise<void> {
    await trx(TABLE).update({ preferred_device: null }).where({ user_id: owner, preferred_device: persistentId });
  }
}
