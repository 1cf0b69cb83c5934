/**
 * Where a loaded device keeps its secret columns: outside the instance, in a WeakMap, so no
 * serialization (JSON, `util.inspect`, spreading, `structuredClone`) can reach them. A column holds
 * the value as stored (sealed when keys are configured), or a replacement that core seals, bound to
 * the row, when it writes the row. Only core opens them, for the check or display that needs them.
 * @module
 */
import type { Device as BaseDevice } from '../device.js';

type Device = BaseDevice<any, any>;
import { ConfigurationError } from '../errors.js';
import type { SecretBinding, SecretBox } from '../secret-box.js';

/** A secret column of a loaded device: as stored, or replaced and not yet written. */
export type SecretSlot = { readonly stored: string | null } | { readonly plain: string | null };

const slots = new WeakMap<Device, Map<string, SecretSlot>>();

function slotsOf(device: Device): Map<string, SecretSlot> {
  let held = slots.get(device);
  if (held === undefined) {
    held = new Map();
    slots.set(device, held);
  }
  return held;
}

/** The database column of a model's property (`lastT` → `last_t`). */
export function columnName(model: typeof BaseDevice, property: string): string {
  return Object.keys(model.columnNameMappers.format({ [property]: null }))[0]!;
}

/** What a secret column of a device row is bound to. */
export function bindingOf(model: typeof BaseDevice, property: string, id: number, userId: string): SecretBinding {
  return { table: model.tableName, column: columnName(model, property), id, userId };
}

function modelOf(device: Device): typeof BaseDevice {
  return device.constructor as typeof BaseDevice;
}

function secretBoxOf(model: typeof BaseDevice): SecretBox {
  if (model.runtime === undefined) throw new ConfigurationError('This device was not loaded through an otpkit instance (createOtp)');
  return model.runtime.secretBox;
}

/** Records a secret column as it was read from the database. */
export function holdStored(device: Device, property: string, stored: string | null): void {
  slotsOf(device).set(property, { stored });
}

/** The slot of a secret column, to put back later with {@link restoreSlot}. */
export function slotOf(device: Device, property: string): SecretSlot {
  return slotsOf(device).get(property) ?? { stored: null };
}

/** Puts back a slot taken with {@link slotOf}. */
export function restoreSlot(device: Device, property: string, slot: SecretSlot): void {
  slotsOf(device).set(property, slot);
}

/** Replaces a secret column; core seals it, bound to the row, when it writes the row. */
export function replaceSecret(device: Device, property: string, plain: string | null): void {
  slotsOf(device).set(property, { plain });
}

/**
 * Opens one secret column of a device.
 * @throws SecretError when the configured keys cannot open it for this row.
 */
export function openSecret(device: Device, property: string): string | null {
  const slot = slotOf(device, property);
  if ('plain' in slot) return slot.plain;
  if (slot.stored === null) return null;
  const model = modelOf(device);
  return secretBoxOf(model).open(slot.stored, bindingOf(model, property, device.id, device.userId));
}

/** The value to store for a secret column: as read, or the replacement sealed for this row (then held sealed). */
export function storedSecret(device: Device, property: string): string | null {
  const slot = slotOf(device, property);
  if (!('plain' in slot)) return slot.stored;
  const model = modelOf(device);
  const stored = slot.plain === null ? null : secretBoxOf(model).seal(slot.plain, bindingOf(model, property, device.id, device.userId));
  holdStored(device, property, stored);
  return stored;
}
