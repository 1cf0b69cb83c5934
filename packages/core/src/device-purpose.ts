import { ValidationError } from './errors.js';

/**
 * What a device may be used for, chosen at enrolment and never widened silently:
 * - `second-factor`: the second step after a password (`verify`, `match` and the layers on them);
 * - `login`: passwordless sign-in only (`verifyLogin`); never accepted as a second factor;
 * - `both`: either.
 */
export type DevicePurpose = 'second-factor' | 'login' | 'both';

/** Every {@link DevicePurpose}, in that order. */
export const DEVICE_PURPOSES: readonly DevicePurpose[] = Object.freeze(['second-factor', 'login', 'both']);

/** What a device is asked to serve: a second factor after a password, or a sign-in on its own. */
export type DeviceUse = Exclude<DevicePurpose, 'both'>;

/** Whether `value` is a {@link DevicePurpose}. */
export function isDevicePurpose(value: unknown): value is DevicePurpose {
  return typeof value === 'string' && (DEVICE_PURPOSES as readonly string[]).includes(value);
}

/** Whether a device of `purpose` serves `use` (its own purpose, or `both`). */
export function servesUse(purpose: DevicePurpose, use: DeviceUse): boolean {
  return purpose === use || purpose === 'both';
}

/** The purposes that serve `use`, for a query's `IN` list. */
export function purposesServing(use: DeviceUse): readonly DevicePurpose[] {
  return DEVICE_PURPOSES.filter((purpose) => servesUse(purpose, use));
}

/**
 * A purpose given for a new device, checked against what its plugin allows.
 * @throws ValidationError (field `purpose`) for a value that is no purpose, or one `allowed` does not list.
 */
export function validateDevicePurpose(purpose: unknown, allowed: readonly DevicePurpose[], type: string): DevicePurpose {
  if (!isDevicePurpose(purpose)) {
    throw new ValidationError(`purpose must be one of ${DEVICE_PURPOSES.join(', ')}`, { field: 'purpose' });
  }
  if (!allowed.includes(purpose)) {
    throw new ValidationError(`a ${type} device's purpose must be ${allowed.join(' or ')}`, { field: 'purpose' });
  }
  return purpose;
}
