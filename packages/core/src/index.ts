/**
 * @otpkit/core: the device model, the plugin contract and the row-locked verification API.
 * @packageDocumentation
 */
export {
  createOtp,
  Otp,
  type OtpOptions,
  type DevicesForUserOptions,
  type ReadOptions,
  type EnrolOutcome,
} from './otp.js';
export type { TypedOtp, DeviceTypeOf, PluginOf, DeviceOf, DeviceInputOf, EnrolmentDisplayOf } from './typed-otp.js';
export type { CreateDeviceInput } from './create-device-input.js';
export type { DeviceRestoration, ImportedDevice, ImportOptions, ImportResult, RestoredChildren, RestoreHook } from './device-import.js';
export { DEVICE_PURPOSES, isDevicePurpose, servesUse, type DevicePurpose, type DeviceUse } from './device-purpose.js';
export { Device, LOW_REMAINING_TOKENS, columnsOf, type DeviceClass, type DeviceRuntime } from './device.js';
export type { ChildRowsDeclaration, ChildRowsSpec } from './child-rows.js';
export type { ChallengeContext, ChallengeIssue, ChildRowWriter, EnrolContext, EnrolmentEvent, EnrolmentResult } from './hooks.js';
export { deviceTablesMigration } from './migrations/device-tables.js';
export { schemaMigrationSource } from './schema-migrations.js';
export { isRescueChannel, type RescueChannel } from './rescue-channel.js';
export {
  SideChannelDevice,
  SIDE_CHANNEL_COLUMNS,
  resolveSideChannelOptions,
  DEFAULT_SIDE_CHANNEL_OPTIONS,
  type SideChannelOptions,
  type SideChannelEnrolment,
} from './side-channel-device.js';
export {
  defineDevicePlugin,
  type DevicePlugin,
  type DevicePluginDefinition,
  type AnyDevicePlugin,
  type OptionsOf,
  type CreateContext,
  type BootstrapCodeDeclaration,
} from './plugin.js';
export type { OtpMigration } from './migration.js';
export { isRejection, type VerifyContext, type ChildRow, type CheckResult, type CheckChange, type CheckRejection, type DevicePatch } from './verify-context.js';
export type {
  VerifyOutcome,
  ChallengeOutcome,
  VerifyRefusal,
  ChallengeRefusal,
  DailyLimitRefusal,
  Refusal,
  VerifyRefusalReason,
  ChallengeRefusalReason,
  RefusalReason,
} from './outcomes.js';
export { describeRefusal, type RefusalDescription } from './describe-refusal.js';
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
export { UserSettings, type UserSettingsRecord, type LockDevice } from './user-settings.js';
export { DEFAULT_AUDIT_RETENTION_DAYS, type AuditOptions, type AuditEvent, type AuditEventsQuery } from './audit.js';
export {
  DEVICE_COLUMNS,
  addDeviceColumns,
  addColumn,
  coerceColumn,
  formatColumn,
  columnKind,
  isNullable,
  type ColumnKind,
  type ColumnType,
  type ColumnSpec,
  type ColumnValue,
  type ColumnTypeValue,
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
  type VerifyAllowance,
  type GenerateAllowance,
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
  isOtpError,
  type AnyOtpError,
  type OtpErrorsByCode,
  type OtpErrorCode,
  type OtpErrorOptions,
} from './errors.js';
export { normalizeToken, MAX_TOKEN_LENGTH } from './token.js';
export { parsePersistentId, formatPersistentId, DEVICE_TYPE_PATTERN, type PersistentIdParts } from './persistent-id.js';
export { constantTimeEqual } from './constant-time.js';
export { ownerUsername } from './owner-username.js';
export { isTokenSessions, type AccessTokenClaims, type TokenSession, type TokenIssueOptions, type TokenPair, type TokenSessionsLike } from './token-sessions.js';
export {
  isSignIn,
  type SignInLike,
  type SignInMethod,
  type SignInAddress,
  type SignInCode,
  type SignInStartOutcome,
  type SignInRateLimited,
  type SignInRefusal,
  type SignedIn,
  type SignInFinishOutcome,
  type LinkRecipient,
  type LinkStartMeta,
  type SignInStartMeta,
  type LinkFinishOptions,
  type LinkSignedIn,
  type LinkRefusal,
  type LinkFinishOutcome,
} from './sign-in.js';
export { validateDeviceName, MAX_DEVICE_NAME_LENGTH } from './device-name.js';
export { isPrintableText } from './printable-text.js';
export { checkOptionKeys } from './option-keys.js';
export { stored } from './internal/stored.js';
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
export {
  Messages,
  BUILT_IN_CATALOGS,
  negotiateLocale,
  type MessageKey,
  type Catalog,
  type MessageParams,
  type Translate,
  type Translator,
  type MessagesOptions,
  type MessageValue,
  type PluralMessage,
  type AreaMessages,
} from './i18n/index.js';
export { consoleLogger, resolveLogger, type Logger, type LoggerOption } from './logger.js';
export { storedUserId, type UserId } from './user-id.js';
export { UserDirectory, DEFAULT_USERS_OPTIONS, type UsersOptions, type UserRecord } from './users.js';
export { keyUri, isHttpUrl, type KeyUriParameters } from './key-uri.js';
export { parseKeyUri, type ParsedKeyUri } from './parse-key-uri.js';
export {
  oathKeyFromInput,
  withImportedOathKey,
  MIN_OATH_KEY_BYTES,
  MAX_OATH_KEY_BYTES,
  type OathKeyInput,
} from './oath-key-input.js';
export {
  OathDevice,
  OATH_COLUMNS,
  type OathEnrolment,
  resolveOathPluginOptions,
  type OathPluginOptions,
  type KeyUriAccount,
} from './oath-device.js';
