import type { Device } from './device.js';

/** A child row as a check sees it: its id and its declared columns (digests as stored). */
export type ChildRow = Readonly<Record<string, unknown>> & { readonly id: number };

/**
 * What a device's check may use. It runs inside the verification's transaction with the device
 * row locked: it must be fast and do no I/O (everything it needs was read before it is called).
 */
export interface VerifyContext {
  /** The time of this verification (epoch ms), read once from the injected clock. */
  readonly now: number;
  /**
   * Opens one of the checked device's `secret` columns (by property name) for this check only;
   * keep the plaintext in local variables, never on the device.
   * @throws SecretError when the configured keys cannot open it for this row.
   */
  secret(property: string): string | null;
  /**
   * The device's child row of `name` whose columns equal `values` (a `digest` column is compared
   * with the keyed digest of the given code, under every configured key, in constant time), or
   * `null` when it has none.
   */
  findChild(name: string, values: Readonly<Record<string, string | number>>): ChildRow | null;
}

/** The fields of a device a check may change: its own data columns (not core's, not its secrets). */
export type DevicePatch<D extends Device<any, any>> = Partial<{
  -readonly [K in keyof D as K extends keyof Device ? never : D[K] extends (...args: never[]) => unknown ? never : K]: D[K];
}>;

/**
 * What a successful check changes, which core writes in the same locked transaction, with the
 * throttle reset and `lastUsedAt`: `patch` assigns fields, `secrets` replaces sealed columns
 * (sealed by core, `null` clears), `consume` deletes one child row by name and id.
 */
export interface CheckChange<D extends Device<any, any>> {
  readonly patch?: DevicePatch<D>;
  readonly secrets?: Readonly<Record<string, string | null>>;
  readonly consume?: Readonly<Record<string, number>>;
}

/**
 * A genuine token that must still be refused because of the device's own state: `suspected_clone`
 * (a WebAuthn signature counter that went back, so another copy of the authenticator exists).
 * Core writes nothing, refuses with that reason and reports `cloneSuspected`.
 */
export interface CheckRejection {
  readonly rejected: 'suspected_clone';
}

/** A check's answer: `null` for a miss, a {@link CheckRejection}, else the change a match makes (`{}` for none). */
export type CheckResult<D extends Device<any, any>> = CheckChange<D> | CheckRejection | null;

/** Whether a check's answer is a {@link CheckRejection}. */
export function isRejection(result: CheckResult<Device<any, any>>): result is CheckRejection {
  return result !== null && 'rejected' in result;
}
