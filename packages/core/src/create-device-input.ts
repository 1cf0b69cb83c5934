import type { DevicePurpose } from './device-purpose.js';

/** What every `createDevice` input may carry besides the plugin's own fields. */
export interface CreateDeviceInput {
  /** The device's name. @default the plugin's default name */
  readonly name?: string;
  /** Whether the device is confirmed at once (skips enrolment). @default false */
  readonly confirmed?: boolean;
  /**
   * What the device may be used for: one of the purposes its plugin allows.
   * @default the plugin's `defaultPurpose`
   */
  readonly purpose?: DevicePurpose;
}
