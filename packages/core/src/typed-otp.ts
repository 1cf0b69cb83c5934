import type { CreateDeviceInput } from './create-device-input.js';
import type { Device } from './device.js';
import type { EventMeta } from './events.js';
import type { EnrolOutcome, Otp } from './otp.js';
import type { AnyDevicePlugin, DevicePlugin } from './plugin.js';
import type { UserId } from './user-id.js';

/** The type names of a plugin list. */
export type DeviceTypeOf<P extends readonly AnyDevicePlugin[]> = P[number]['type'];
/** The plugin of type `T` in a plugin list. */
export type PluginOf<P extends readonly AnyDevicePlugin[], T extends string> = string extends DeviceTypeOf<P>
  ? P[number]
  : Extract<P[number], { readonly type: T }>;
/** The device model (instance) of type `T` in a plugin list. */
export type DeviceOf<P extends readonly AnyDevicePlugin[], T extends string> = InstanceType<PluginOf<P, T>['model']>;
/** What `createDevice` of type `T` takes: the common fields and the plugin's own. */
export type DeviceInputOf<P extends readonly AnyDevicePlugin[], T extends string> = CreateDeviceInput &
  (PluginOf<P, T> extends DevicePlugin<any, infer I> ? Partial<I> : object) &
  Readonly<Record<string, unknown>>;
/** What enrolling a device shows the user once (its model's `enroll` display). */
export type EnrolmentDisplayOf<D extends Device<any, any>> = Extract<Awaited<ReturnType<D['enroll']>>, { readonly display: unknown }>['display'];

/**
 * An {@link Otp} typed by its plugins, as {@link createOtp} returns it: a type name that is not
 * registered does not compile, `createDevice('totp', …)` checks the TOTP input and returns a
 * `TOTPDevice`, `enroll` returns that plugin's display. It is an `Otp`, so it goes wherever one is
 * taken.
 * @typeParam P the registered plugins, in order.
 */
export interface TypedOtp<P extends readonly AnyDevicePlugin[]> extends Otp {
  /** The configured plugins, in order. */
  readonly plugins: readonly P[number][];
  /** {@inheritDoc Otp.model} */
  model<T extends DeviceTypeOf<P>>(type: T): PluginOf<P, T>['model'];
  /** {@inheritDoc Otp.createDevice} */
  createDevice<T extends DeviceTypeOf<P>>(type: T, userId: UserId, input?: DeviceInputOf<P, T>, meta?: EventMeta): Promise<DeviceOf<P, T>>;
  /** {@inheritDoc Otp.enroll} */
  enroll<T extends DeviceTypeOf<P>>(
    type: T,
    userId: UserId,
    input?: DeviceInputOf<P, T>,
    meta?: EventMeta,
  ): Promise<EnrolOutcome<DeviceOf<P, T>, EnrolmentDisplayOf<DeviceOf<P, T>>>>;
}
