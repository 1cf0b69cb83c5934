/** What every `createDevice` input may carry besides the plugin's own fields. */
export interface CreateDeviceInput {
  /** The device's name. @default the plugin's default name */
  readonly name?: string;
  /** Whether the device is confirmed at once (skips enrolment). @default false */
  readonly confirmed?: boolean;
}
