import { isAbsolute } from 'node:path';
import type { CreateDeviceInput } from './create-device-input.js';
import type { RestoreHook } from './device-import.js';
import type { Device, DeviceClass } from './device.js';
import { DEVICE_PURPOSES, isDevicePurpose, type DevicePurpose } from './device-purpose.js';
import { ConfigurationError } from './errors.js';
import type { OtpMigration } from './migration.js';
import { deviceTablesMigration } from './migrations/device-tables.js';
import { DEVICE_TYPE_PATTERN } from './persistent-id.js';
import type { SecretBox } from './secret-box.js';
import type { UserDirectory } from './users.js';
import { resolveThrottlePolicy, type ThrottlePolicy } from './throttle.js';

/** What a plugin's `initialize` may use to fill in a new device. */
export interface CreateContext {
  /** The time of creation (epoch ms). */
  readonly now: number;
  readonly secretBox: SecretBox;
  /** The new device's owner (stored form). */
  readonly userId: string;
  /** The application's users, for a default taken from the user's record (an address). */
  readonly users: UserDirectory;
}

/**
 * A plugin's way to issue one single-use code that an administrator hands to a user who has no
 * way left to sign in (`otp.issueBootstrapCode`): an enrolment input that adds exactly one
 * code to the user's device (creating the device when there is none), and where the enrolment's
 * display shows it. Backup codes declare `{ input: { add: true }, code: (display) => display.codes[0] }`.
 */
export interface BootstrapCodeDeclaration {
  /** The `Otp.enroll` input that adds one code, shown once in the display. */
  readonly input: Readonly<Record<string, unknown>>;
  /** The code, in clear, from the enrolment's display. */
  code(display: object): string;
}

/** The options type of a device model (`Device<O>`). */
export type OptionsOf<M extends DeviceClass> = InstanceType<M> extends Device<infer O, any> ? O : object;

/**
 * Everything a device plugin declares besides its model. Build one with {@link defineDevicePlugin}.
 * @typeParam M the model class, whose static `deviceType` names the plugin.
 * @typeParam I the plugin's own `createDevice` input (a key, digits, an address…).
 */
export interface DevicePluginDefinition<M extends DeviceClass = DeviceClass, I extends object = object> {
  /** The model class: its statics declare the type, the table, the columns and the child rows. */
  readonly model: M;
  /** The plugin's resolved options, which the model reads as `this.options`. */
  readonly options: OptionsOf<M>;
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
  /**
   * The plugin's schema steps, in order. Names are recorded and never change.
   * @default one step, `0001_create_device`, creating the tables the model declares
   */
  readonly migrations?: readonly OtpMigration[];
  /** The name of a new device when the caller gives none. @default the type */
  readonly defaultName?: string;
  /**
   * The purpose of a new device when the caller gives none (`CreateDeviceInput.purpose`); one of
   * {@link DevicePluginDefinition.purposes}. Existing rows get it when core adds the `purpose`
   * column to an older table. @default 'second-factor'
   */
  readonly defaultPurpose?: DevicePurpose;
  /**
   * The purposes a device of this plugin may be given (backup codes: `['second-factor']`); any
   * other is a `ValidationError` at enrolment. @default every purpose ({@link DEVICE_PURPOSES})
   */
  readonly purposes?: readonly DevicePurpose[];
  /**
   * A user has at most one device of this plugin (backup codes): enrolling again re-enrols it
   * (new codes) instead of adding another. @default false
   */
  readonly onePerUser?: boolean;
  /**
   * Enrolment confirms the device at once, because what it shows is the secret itself (a list of
   * backup codes): there is no first token to ask for. @default false
   */
  readonly enrolsConfirmed?: boolean;
  /**
   * The device's ceremonies are bound to the caller's session: its enrolment input, challenge
   * context and tokens take a `session` value (a secret binding of the session, never its id),
   * which layers that own a session (`@otpkit/express`) pass, so a registration or challenge begun
   * in one session cannot be finished in another (WebAuthn). @default false
   */
  readonly bindsSession?: boolean;
  /**
   * The absolute path of a browser script (an ES module, no build step) that answers this plugin's
   * challenges in the page (WebAuthn's `navigator.credentials`): the user types no code. Layers
   * that render pages (`@otpkit/express`'s login views) serve it from their own origin and show
   * such devices as buttons rather than in the code field. @default undefined
   */
  readonly browserScript?: string;
  /**
   * The input fields, besides `name`, that users may give when they enrol a device for themselves
   * over the web (`@otpkit/express`'s `POST /devices/:type`): an address, a phone number. The
   * other fields `initialize` and `enroll` read (a key to import, a code of the operator's
   * choosing) are the application's and its operators' only. @default []
   */
  readonly enrolFields?: readonly Extract<keyof I, string>[];
  /**
   * The plugin can issue a single-use code for an administrator to hand over (backup codes):
   * `otp.issueBootstrapCode` uses the first configured plugin that declares it. @default undefined
   */
  readonly bootstrapCode?: BootstrapCodeDeclaration;
  /**
   * Validates the caller's input for a new device and returns the model's own fields (a fresh
   * key, digits, an address…); `secret` columns among them are sealed by core. Throw a
   * `ValidationError` for bad input. It may also return `purpose` to choose the device's purpose
   * when the caller gave none (narrower than the default: an imported passkey without a user
   * handle is a second factor only); one that differs from the caller's is refused.
   */
  initialize?(input: Readonly<CreateDeviceInput & Partial<I>>, context: CreateContext): Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * Rebuilds a device made by another system from its state (`otp.importDevices`, `otpkit
   * import`): the columns, state included, so the device accepts exactly the tokens the old one
   * would have. A plugin without it cannot import devices. @default undefined
   */
  readonly restore?: RestoreHook;
}

/** The input fields of every plugin (`CreateDeviceInput`), which no plugin lists as its own. */
const COMMON_INPUT_FIELDS: readonly unknown[] = ['name', 'confirmed', 'purpose'];

/** A validated, frozen device plugin, as `createOtp({ devices })` takes it. */
export interface DevicePlugin<M extends DeviceClass = DeviceClass, I extends object = object> extends DevicePluginDefinition<M, I> {
  /** The type name, first half of persistent ids (the model's `deviceType`). */
  readonly type: M['deviceType'];
  readonly throttle: ThrottlePolicy;
  readonly defaultName: string;
  readonly defaultPurpose: DevicePurpose;
  readonly purposes: readonly DevicePurpose[];
  readonly migrations: readonly OtpMigration[];
  readonly onePerUser: boolean;
  readonly enrolsConfirmed: boolean;
  readonly bindsSession: boolean;
  /** The input fields users may give at enrolment, besides `name` (none by default). */
  readonly enrolFields: readonly Extract<keyof I, string>[];
}

/** Any device plugin: what the layers above core (Express, the CLI) take. */
export type AnyDevicePlugin = DevicePlugin<DeviceClass, any>;

/**
 * Declares a device plugin. A plugin's factory (`totp(options)`) resolves its options and returns
 * the result of this.
 * @throws ConfigurationError when the declaration is inconsistent.
 */
export function defineDevicePlugin<M extends DeviceClass, I extends object = object>(
  definition: DevicePluginDefinition<M, I>,
): DevicePlugin<M, I> {
  const { model } = definition;
  const type = model?.deviceType;
  const fail = (message: string): never => {
    throw new ConfigurationError(`device plugin "${String(type)}": ${message}`);
  };
  if (typeof model !== 'function') fail('model must be a Device class');
  if (!DEVICE_TYPE_PATTERN.test(type)) fail('model.deviceType must match /^[a-z][a-z0-9_-]{0,31}$/');
  if (!model.tableName) fail('model.tableName is required');
  const fields: unknown = definition.enrolFields ?? [];
  if (!Array.isArray(fields) || fields.some((field: unknown) => typeof field !== 'string' || COMMON_INPUT_FIELDS.includes(field))) {
    fail("enrolFields must list input field names other than 'name', 'confirmed' and 'purpose'");
  }
  const script: unknown = definition.browserScript;
  if (script !== undefined && (typeof script !== 'string' || !isAbsolute(script))) fail('browserScript must be the absolute path of a file');
  const purposes: unknown = definition.purposes ?? DEVICE_PURPOSES;
  if (!Array.isArray(purposes) || purposes.length === 0 || !purposes.every(isDevicePurpose)) {
    fail(`purposes must list one or more of ${DEVICE_PURPOSES.join(', ')}`);
  }
  const defaultPurpose = definition.defaultPurpose ?? 'second-factor';
  if (!(purposes as readonly unknown[]).includes(defaultPurpose)) fail('defaultPurpose must be one of the purposes the plugin allows');
  const bootstrap: unknown = definition.bootstrapCode;
  if (bootstrap !== undefined && (bootstrap === null || typeof bootstrap !== 'object' || typeof (bootstrap as BootstrapCodeDeclaration).code !== 'function' || (bootstrap as BootstrapCodeDeclaration).input === null || typeof (bootstrap as BootstrapCodeDeclaration).input !== 'object')) {
    fail('bootstrapCode must be { input, code(display) }');
  }
  const bits = definition.tokenEntropyBits;
  if (bits !== undefined && (typeof bits !== 'number' || !Number.isFinite(bits) || bits < 0)) {
    fail('tokenEntropyBits must be a finite number >= 0');
  }
  if (definition.restore !== undefined && typeof definition.restore !== 'function') fail('restore must be a function');
  return Object.freeze({
    ...definition,
    type,
    throttle: resolveThrottlePolicy(definition.throttle, fail),
    defaultName: definition.defaultName ?? type,
    defaultPurpose,
    purposes: Object.freeze([...(purposes as readonly DevicePurpose[])]),
    options: Object.freeze(definition.options) as OptionsOf<M>,
    migrations: Object.freeze([...(definition.migrations ?? [deviceTablesMigration(model)])]),
    onePerUser: definition.onePerUser ?? false,
    enrolsConfirmed: definition.enrolsConfirmed ?? false,
    bindsSession: definition.bindsSession ?? false,
    enrolFields: Object.freeze([...(definition.enrolFields ?? [])]),
  });
}
