import type { Knex } from 'knex';
import type { Device, DeviceClass } from '../device.js';
import type { ImportedDevice, ImportOptions, ImportResult, RestoredChildren } from '../device-import.js';
import { validateDeviceName } from '../device-name.js';
import { ValidationError } from '../errors.js';
import type { AnyDevicePlugin, CreateContext } from '../plugin.js';
import { isPrintableText } from '../printable-text.js';
import type { ChildRowStore } from './child-row-store.js';
import { insertDevice, type NewDeviceRow } from './insert-device.js';
import { stored } from './stored.js';

const TABLE = 'otp_device_import';
const MAX_SOURCE_LENGTH = 191;

/** What the importer needs of the otp instance. */
export interface ImporterDependencies {
  readonly knex: Knex;
  readonly children: ChildRowStore;
  readonly secretBox: CreateContext['secretBox'];
  readonly users: CreateContext['users'];
  /** The plugin and bound model of a configured type, or `undefined`. */
  registered(type: string): { readonly plugin: AnyDevicePlugin; readonly model: DeviceClass } | undefined;
}

/** A row of the import record: which device, of which user, a source became. */
interface ImportRecord {
  readonly source: string;
  readonly user_id: string;
  readonly device_id: string;
}

/** A device whose state its plugin accepted, ready to insert. */
interface Restored {
  readonly source: string;
  readonly plugin: AnyDevicePlugin;
  readonly model: DeviceClass;
  readonly row: NewDeviceRow;
  readonly children: RestoredChildren;
}

function invalid(message: string, field: string): never {
  throw new ValidationError(message, { field });
}

/** The largest failure count a device row holds (its column is a 32-bit integer). */
const MAX_FAILURE_COUNT = 2_147_483_647;

/** A count or epoch-ms time: a safe integer >= 0. */
function wholeNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) invalid(`${field} must be an integer >= 0`, field);
  return value;
}

/** A failure count: an integer from 0 to what its column holds. */
function failureCount(value: unknown): number {
  const count = wholeNumber(value, 'throttlingFailureCount');
  if (count > MAX_FAILURE_COUNT) invalid(`throttlingFailureCount must be at most ${MAX_FAILURE_COUNT}`, 'throttlingFailureCount');
  return count;
}

const optionalTime = (value: number | null | undefined, field: string): number | null => (value === undefined || value === null ? null : wholeNumber(value, field));

/** The source id, checked: printable text of 1 to 191 characters. */
function sourceOf(device: ImportedDevice): string {
  const { source } = device;
  if (typeof source !== 'string' || source.length === 0 || source.length > MAX_SOURCE_LENGTH || !isPrintableText(source)) {
    invalid(`source must be printable text of 1 to ${MAX_SOURCE_LENGTH} characters`, 'source');
  }
  return source;
}

/**
 * Imports one user's devices (`Otp.importDevices`): every device is checked by its plugin's
 * `restore` first, outside any transaction; those it accepts are written in ONE transaction with
 * the record of their sources, so a user's import is whole or absent, and a source imported before
 * is skipped (reported invalid when it was imported for another user), as is a second device of a plugin that allows one per user (backup codes). Returns
 * one result per device, in order, and the devices created.
 */
export async function importUserDevices(
  dependencies: ImporterDependencies,
  owner: string,
  now: number,
  devices: readonly ImportedDevice[],
  options: ImportOptions,
): Promise<{ results: ImportResult[]; created: Device[] }> {
  const seen = new Set<string>();
  const prepared: (Restored | ImportResult)[] = [];
  for (const device of devices) {
    prepared.push(await restoreOne(dependencies, owner, now, device, seen));
  }
  const restored = prepared.filter((entry): entry is Restored => 'row' in entry);
  const created: Device[] = [];
  const results = await stored(() =>
    dependencies.knex.transaction(async (trx) => {
      const rows =
        restored.length === 0
          ? []
          : ((await trx(TABLE).select('source', 'user_id', 'device_id').whereIn('source', restored.map((entry) => entry.source))) as ImportRecord[]);
      const earlier = new Map(rows.map((row) => [row.source, row]));
      const outcome: ImportResult[] = [];
      // The types of this import's devices, for plugins with one device per user (backup codes).
      const taken = new Set<string>();
      for (const entry of prepared) {
        if (!('row' in entry)) {
          outcome.push(entry);
          continue;
        }
        const before = earlier.get(entry.source);
        if (before !== undefined && before.user_id !== owner) {
          // Another user's device is neither this user's nor reported as it: the mapping changed, or two users share a source.
          outcome.push({ source: entry.source, status: 'invalid', field: 'source', message: 'this source was imported before for another user' });
        } else if (before !== undefined) {
          outcome.push({ source: entry.source, status: 'already-imported', persistentId: before.device_id });
        } else if (entry.plugin.onePerUser && (taken.has(entry.plugin.type) || (await hasDeviceOf(trx, entry.model, owner)))) {
          outcome.push({ source: entry.source, status: 'invalid', field: 'type', message: `the user already has a ${entry.plugin.type} device, and may have only one` });
        } else {
          taken.add(entry.plugin.type);
          if (options.dryRun === true) {
            outcome.push({ source: entry.source, status: 'imported', persistentId: null });
            continue;
          }
          const device = await insertDevice(trx, entry.model, dependencies.secretBox, entry.row);
          for (const [name, childRows] of Object.entries(entry.children)) await dependencies.children.insert(trx, device, name, childRows);
          await trx(TABLE).insert({ source: entry.source, user_id: owner, device_id: device.persistentId, imported_at: now });
          created.push(device);
          outcome.push({ source: entry.source, status: 'imported', persistentId: device.persistentId });
        }
      }
      return outcome;
    }),
  );
  return { results, created };
}

/** Whether the user has a device of `model` already. */
async function hasDeviceOf(trx: Knex.Transaction, model: DeviceClass, owner: string): Promise<boolean> {
  return (await trx(model.tableName).select('id').where('user_id', owner).first()) !== undefined;
}

/** One device checked and restored by its plugin, or why it cannot be imported. */
async function restoreOne(dependencies: ImporterDependencies, owner: string, now: number, device: ImportedDevice, seen: Set<string>): Promise<Restored | ImportResult> {
  const label = typeof device?.source === 'string' ? device.source : String(device?.source);
  try {
    if (device === null || typeof device !== 'object') invalid('each imported device must be an object', 'device');
    const source = sourceOf(device);
    if (seen.has(source)) invalid('the same source is listed twice', 'source');
    seen.add(source);
    const registered = dependencies.registered(device.type);
    const restore = registered?.plugin.restore;
    if (registered === undefined || restore === undefined) {
      const message = registered === undefined ? `no ${String(device.type)} plugin is configured` : `the ${device.type} plugin cannot import devices`;
      return { source, status: 'unsupported', message };
    }
    const { plugin, model } = registered;
    if (typeof device.confirmed !== 'boolean') invalid('confirmed must be a boolean', 'confirmed');
    if (device.state === null || typeof device.state !== 'object') invalid('state must be an object', 'state');
    const name = validateDeviceName(device.name ?? plugin.defaultName);
    const restoration = await restore(device.state, { now, secretBox: dependencies.secretBox, userId: owner, users: dependencies.users });
    return {
      source,
      plugin,
      model,
      children: restoration.children ?? {},
      row: {
        own: restoration.fields,
        userId: owner,
        name,
        confirmed: device.confirmed,
        purpose: plugin.defaultPurpose,
        createdAt: optionalTime(device.createdAt, 'createdAt') ?? now,
        lastUsedAt: optionalTime(device.lastUsedAt, 'lastUsedAt'),
        throttlingFailureCount: failureCount(device.throttlingFailureCount ?? 0),
        throttlingFailureTimestamp: optionalTime(device.throttlingFailureTimestamp, 'throttlingFailureTimestamp'),
      },
    };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { source: label, status: 'invalid', field: error.field, message: error.message };
  }
}
