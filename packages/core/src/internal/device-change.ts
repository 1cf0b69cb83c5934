/**
 * Applying what a check or a challenge changes to a locked device, and taking back an undelivered
 * challenge: the fields and sealed columns a change names, as they were and as they were written.
 * @module
 */
import type { Device } from '../device.js';
import type { CheckChange } from '../verify-context.js';
import { replaceSecret, restoreSlot, slotOf, type SecretSlot } from './sealed-secrets.js';

type Change = Pick<CheckChange<Device>, 'patch' | 'secrets'>;

/** The fields and sealed columns a change names, as they are on a device. */
export interface ChangedState {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, SecretSlot>>;
}

/** Assigns a change's fields and replaces its secrets (core seals them, bound to the row, when it writes the row). */
export function assignChange(device: Device, change: Change): void {
  if (change.patch !== undefined) Object.assign(device, change.patch);
  for (const [property, plain] of Object.entries(change.secrets ?? {})) replaceSecret(device, property, plain);
}

/** Records a failed verification at `now` on the device's own throttle. */
export function recordFailure(device: Device, now: number): void {
  device.throttlingFailureCount += 1;
  device.throttlingFailureTimestamp = now;
}

/** The current state of what `change` names on `device` (secrets as their slots: as stored, or replaced). */
export function pendingState(device: Device, change: Change | ChangedState): ChangedState {
  const fields = 'fields' in change ? Object.keys(change.fields) : Object.keys(change.patch ?? {});
  const secrets = Object.keys(change.secrets ?? {});
  const values = device as unknown as Record<string, unknown>;
  return {
    fields: Object.fromEntries(fields.map((field) => [field, values[field]])),
    secrets: Object.fromEntries(secrets.map((property) => [property, slotOf(device, property)])),
  };
}

/** Puts back a state taken with {@link pendingState}. */
export function restorePending(device: Device, state: ChangedState): void {
  Object.assign(device, state.fields);
  for (const [property, slot] of Object.entries(state.secrets)) restoreSlot(device, property, slot);
}

/** Whether two states taken from stored rows are the same write (sealed values compare as stored). */
export function samePending(a: ChangedState, b: ChangedState): boolean {
  const slotValue = (slot: SecretSlot | undefined) => (slot === undefined ? undefined : 'plain' in slot ? slot.plain : slot.stored);
  return (
    Object.entries(b.fields).every(([field, value]) => a.fields[field] === value) &&
    Object.entries(b.secrets).every(([property, slot]) => slotValue(a.secrets[property]) === slotValue(slot))
  );
}
