import type { CreateContext } from './plugin.js';

/**
 * One device made by another system (django-otp, a file of Key-URIs), with its state, as
 * {@link Otp.importDevices} takes it. The plugin of `type` turns `state` into its columns through
 * its `restore` hook, so the imported device accepts exactly what the old one would have.
 */
export interface ImportedDevice {
  /** The otpkit plugin type the device becomes (`totp`, `hotp`, `static`, `email`, `sms`). */
  readonly type: string;
  /**
   * The device's stable id in its source system, e.g. `django-otp:totp:42`: a device whose source
   * was imported before (even if its user removed it since) is not imported again. At most 191 characters.
   */
  readonly source: string;
  /** The device's name. @default the plugin's default name */
  readonly name?: string;
  /** Whether the device finished enrolment in its source system. */
  readonly confirmed: boolean;
  /** When it was created (epoch ms). @default the import's time */
  readonly createdAt?: number | null;
  /** When a token last verified (epoch ms). @default null */
  readonly lastUsedAt?: number | null;
  /** Consecutive failed verifications (at most 2,147,483,647), carried over so an import does not lift a throttle. @default 0 */
  readonly throttlingFailureCount?: number;
  /** When the last failure happened (epoch ms). @default null */
  readonly throttlingFailureTimestamp?: number | null;
  /** The plugin's own fields and state (a key, digits, a counter, codes, an address): see the plugin's `restore`. */
  readonly state: Readonly<Record<string, unknown>>;
}

/** What became of one {@link ImportedDevice}. */
export type ImportResult =
  /** Created (or, in a dry run, would be): its persistent id (`null` in a dry run). */
  | { readonly source: string; readonly status: 'imported'; readonly persistentId: string | null }
  /** Its source was imported before for this user, as the device named (which may have been removed since); for another user, it is `invalid` (field `source`). */
  | { readonly source: string; readonly status: 'already-imported'; readonly persistentId: string }
  /** No configured plugin of its type restores devices: nothing was written. */
  | { readonly source: string; readonly status: 'unsupported'; readonly message: string }
  /** The plugin refused its state (a malformed key, digits it does not support): nothing was written. */
  | { readonly source: string; readonly status: 'invalid'; readonly field: string | undefined; readonly message: string };

/** The options of {@link Otp.importDevices}. */
export interface ImportOptions {
  /** Check every device and look up earlier imports, but write nothing. @default false */
  readonly dryRun?: boolean;
}

/** Rows a restored device keeps in its child tables (backup codes), by child name. */
export type RestoredChildren = Readonly<Record<string, readonly Readonly<Record<string, string | number>>[]>>;

/** What a plugin's `restore` hook makes of an imported device's state. */
export interface DeviceRestoration {
  /** The model's own columns (`secret` ones are sealed by core, `digest` ones of children digested). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Child rows to insert with the device. @default none */
  readonly children?: RestoredChildren;
}

/**
 * A plugin's hook that rebuilds a device made elsewhere from its state: validates it as strictly
 * as `initialize` does its input and returns the columns, state included (TOTP's `lastT` and
 * `drift`, HOTP's `counter`), so the device accepts exactly the tokens the old one would have.
 * Throw a `ValidationError` naming the field for state it cannot take. No I/O besides the context's.
 */
export type RestoreHook = (state: Readonly<Record<string, unknown>>, context: CreateContext) => DeviceRestoration | Promise<DeviceRestoration>;
