import type { Knex } from 'knex';
import type { Device, DeviceClass } from './device.js';
import { ConfigurationError } from './errors.js';
import type { OtpMigration } from './migration.js';
import { DEVICE_TYPE_PATTERN } from './persistent-id.js';
import type { SecretBox } from './secret-box.js';
import { resolveThrottlePolicy, type ThrottlePolicy } from './throttle.js';

/** What a plugin's `initialize` may use to fill in a new device. */
export interface CreateContext {
  /** The time of creation (epoch ms). */
  readonly now: number;
  readonly secretBox: SecretBox;
}

/** Everything a device plugin declares. Build one with {@link defineDevicePlugin}. */
export interface DevicePluginDefinition<D extends Device = Device, O extends object = object> {
  /** The type name, first half of persistent ids: lower case, e.g. `totp`. Unique per instance. */
  readonly type: string;
  /** The model class; its `deviceType` must equal `type`. */
  readonly model: DeviceClass<D>;
  /** The plugin's resolved, frozen options. */
  readonly options: O;
  /** Throttling of failed verifications of one device, a gate besides the user's guessing budget. @default { factor: 1 } */
  readonly throttle?: Partial<ThrottlePolicy> | undefined;
  /**
   * How many bits of a token one guess must find (−log2 of its chance, codes tested included). At
   * 50 bits or more (backup codes) the device is unguessable: never throttled, never blocked by the
   * user's guessing budget, and its misses are not charged. A device may refine its own chance
   * (`Device.guessChance`); undeclared, each miss costs one unit of the budget.
   * @default undefined
   */
  readonly tokenEntropyBits?: number | undefined;
  /** The plugin's schema steps, in order. */
  readonly migrations: readonly OtpMigration[];
  /** The name of a new device when the caller gives none. @default the type */
  readonly defaultName?: string;
  /**
   * Validates caller input for a new device and returns the plugin's own fields (a fresh key,
   * digits, an address…). Throw a `ValidationError` for bad input.
   */
  initialize?(input: Readonly<Record<string, unknown>>, context: CreateContext): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Removes the rows the plugin keeps outside the device table, inside the removal's transaction. */
  beforeRemove?(device: D, trx: Knex.Transaction): Promise<void>;
}

/** A validated, frozen device plugin. */
export interface DevicePlugin<D extends Device = Device, O extends object = object>
  extends DevicePluginDefinition<D, O> {
  readonly throttle: ThrottlePolicy;
  readonly defaultName: string;
}

/**
 * Declares a device plugin. A plugin's factory (`totp(options)`) resolves its options and returns
 * the result of this.
 * @throws ConfigurationError when the definition is inconsistent.
 */
export function defineDevicePlugin<D extends Device, O extends object>(
  definition: DevicePluginDefinition<D, O>,
): DevicePlugin<D, O> {
  const fail = (message: string): never => {
    throw new ConfigurationError(`device plugin "${String(definition.type)}": ${message}`);
  };
  if (!DEVICE_TYPE_PATTERN.test(definition.type)) fail('type must match /^[a-z][a-z0-9_-]{0,31}$/');
  if (definition.model.deviceType !== definition.type) fail('model.deviceType must equal type');
  if (!definition.model.tableName) fail('model.tableName is required');
  const bits = definition.tokenEntropyBits;
  if (bits !== undefined && (typeof bits !== 'number' || !Number.isFinite(bits) || bits < 0)) {
    fail('tokenEntropyBits must be a finite number >= 0');
  }
  return Object.freeze({
    ...definition,
    throttle: resolveThrottlePolicy(definition.throttle, fail),
    defaultName: definition.defaultName ?? definition.type,
    options: Object.freeze(definition.options),
    migrations: Object.freeze([...definition.migrations]),
  });
}
