/**
 * @otpkit/core: the device model, the plugin contract and the row-locked verification API.
 * @packageDocumentation
 */
export { createOtp, Otp, type OtpOptions, type DevicesForUserOptions, type CreateDeviceInput } from './otp.js';
export { Device, type DeviceClass, type DeviceRuntime, type DeviceService, type ChallengeContext, type DigestRows } from './device.js';
export {
  SideChannelDevice,
  resolveSideChannelOptions,
  DEFAULT_SIDE_CHANNEL_OPTIONS,
  type SideChannelOptions,
  type PendingToken,
} from './side-channel-device.js';
export {
  defineDevicePlugin,
  type DevicePlugin,
  type DevicePluginDefinition,
  type CreateContext,
} from './plugin.js';
export type { OtpMigration } from './migration.js';
export type { VerifyContext, SqlRow } from './verify-context.js';
export type { VerifyOutcome, ChallengeOutcome } from './outcomes.js';
export {
  OTP_EVENT_TYPES,
  type OtpEventType,
  type InstanceEventType,
  type UserEventType,
  type EventMeta,
  type OtpEventDetails,
  type OtpEventBase,
  type OtpEventOf,
  type OtpEvent,
  type OtpEventHooks,
  type ReportedEvent,
} from './events.js';
export { DEFAULT_AUDIT_RETENTION_DAYS, type AuditOptions, type AuditEvent, type AuditEventsQuery } from './audit.js';
export {
  DEVICE_COLUMNS,
  SIDE_CHANNEL_COLUMNS,
  addDeviceColumns,
  addSideChannelColumns,
  coerceColumn,
  type ColumnKind,
  type ColumnSpec,
} from './columns.js';
export { createOtpTable } from './migrations/otp-table.js';
export { GUESS_UNIT, UNGUESSABLE_BITS, guessChance, guessCost, isGuessable } from './guessing.js';
export { DEFAULT_SEND_LIMITS, type SendLimits } from './send-limits.js';
export {
  throttleAllowance,
  throttleDelayMs,
  resolveThrottlePolicy,
  ALLOWED,
  DEFAULT_THROTTLE,
  DEFAULT_GUESS_THROTTLE,
  type Allowance,
  type ThrottlePolicy,
} from './throttle.js';
export {
  OtpError,
  ConfigurationError,
  ValidationError,
  DeviceNotFoundError,
  DeliveryError,
  StorageError,
  SecretError,
  errorCodes,
  type OtpErrorCode,
  type OtpErrorOptions,
} from './errors.js';
export { normalizeToken, MAX_TOKEN_LENGTH } from './token.js';
export { parsePersistentId, formatPersistentId, DEVICE_TYPE_PATTERN, type PersistentIdParts } from './persistent-id.js';
export { constantTimeEqual } from './constant-time.js';
export { validateDeviceName, MAX_DEVICE_NAME_LENGTH } from './device-name.js';
export { isPrintableText } from './printable-text.js';
export {
  hotpToken,
  findHotpCounter,
  totpTimeStep,
  randomKey,
  encodeBase32,
  decodeBase32,
  groupForDisplay,
  OATH_ALGORITHMS,
  type OathAlgorithm,
  type OathDigits,
  type OathParameters,
} from './oath.js';
export {
  RememberedBrowsers,
  type RememberedBrowser,
  type RememberedBrowserMatch,
  type RememberBrowserOptions,
} from './remembered-browsers.js';
export { SecretBox, type SecretKeys, type SecretBinding, type SecretProblem, type SecretReport } from './secret-box.js';
export { systemClock, type Clock } from './clock.js';
export { consoleLogger, type Logger } from './logger.js';
export { storedUserId, type UserId } from './user-id.js';
export { UserDirectory, DEFAULT_USERS_OPTIONS, type UsersOptions, type UserRecord } from './users.js';
export { keyUri, isHttpUrl, type KeyUriParameters } from './key-uri.js';
export {
  oathKeyFromInput,
  MIN_OATH_KEY_BYTES,
  MAX_OATH_KEY_BYTES,
  type OathKeyInput,
} from './oath-key-input.js';
export {
  OathDevice,
  OATH_COLUMNS,
  addOathColumns,
  resolveOathPluginOptions,
  type OathPluginOptions,
  type KeyUriAccount,
} from './oath-device.js';
