import { checkOptionKeys, ConfigurationError, resolveLogger, type Logger, type LoggerOption } from '@otpkit/core';

/** Every notice {@link accountNotices} can mail, in the order the docs list them. */
export const NOTICE_KINDS = Object.freeze([
  'deviceAdded',
  'deviceRemoved',
  'backupCodesRegenerated',
  'backupCodesLow',
  'throttled',
  'rescueUsed',
  'adminAction',
] as const);

/**
 * A notice: `deviceAdded` (a device was confirmed), `deviceRemoved` (a confirmed one was removed),
 * `backupCodesRegenerated`, `backupCodesLow` (a backup code was used and 2 or fewer remain),
 * `throttled` (attempts were refused because the account is throttled; at most one a day),
 * `rescueUsed` (account rescue), `adminAction` (an administrator acted: an event with `actor`).
 */
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Something that may be computed now or looked up. */
type MaybePromise<T> = T | Promise<T>;

/** The options of {@link accountNotices}. */
export interface AccountNoticesOptions {
  /**
   * The type of the configured email plugin whose transport, sender and `context` the notices use.
   * @default 'email'
   */
  readonly plugin?: string;
  /**
   * Where a user's notices go: one address, or `null` for none (that notice is skipped).
   * @default the user's address in the users table (`otp.users.findById(userId).email`)
   */
  readonly to?: (userId: string) => MaybePromise<string | null | undefined>;
  /**
   * The user's locale (a tag of `otp.messages.locales`); the default locale for `null` or a tag
   * that has no catalog.
   * @default the catalog's default locale
   */
  readonly locale?: (userId: string) => MaybePromise<string | null | undefined>;
  /**
   * The time zone the notices' dates are written in (an IANA name such as `'Europe/Paris'`).
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * Which notices are mailed.
   * @default every one of NOTICE_KINDS
   */
  readonly events?: readonly NoticeKind[];
  /**
   * At most this many notices per user per 24 hours (a window starts with its first notice),
   * counted in the database so that every process shares it.
   * @default 10
   */
  readonly perDay?: number;
  /**
   * Where notices that could not be sent are reported (the user and the notice, never the
   * address).
   * An object with a `warn(message)` method or a function of the message.
   * @default consoleLogger
   */
  readonly logger?: LoggerOption;
}

/** The options of {@link accountNotices} after validation. */
export interface ResolvedNoticesOptions {
  readonly plugin: string;
  readonly to: ((userId: string) => MaybePromise<string | null | undefined>) | null;
  readonly locale: (userId: string) => MaybePromise<string | null | undefined>;
  readonly timeZone: string;
  readonly events: ReadonlySet<NoticeKind>;
  readonly perDay: number;
  readonly logger: Logger;
}

const OPTION_KEYS = ['plugin', 'to', 'locale', 'timeZone', 'events', 'perDay', 'logger'];

function optionalFunction<F>(value: F | undefined, name: string): F | null {
  if (value === undefined) return null;
  if (typeof value !== 'function') throw new ConfigurationError(`accountNotices: ${name} must be a function of the user id`);
  return value;
}

function checkedEvents(events: readonly NoticeKind[] | undefined): ReadonlySet<NoticeKind> {
  if (events === undefined) return new Set(NOTICE_KINDS);
  if (!Array.isArray(events) || events.length === 0) {
    throw new ConfigurationError(`accountNotices: events must list one or more of ${NOTICE_KINDS.join(', ')}`);
  }
  for (const kind of events) {
    if (!(NOTICE_KINDS as readonly unknown[]).includes(kind)) {
      throw new ConfigurationError(`accountNotices: events: "${String(kind)}" is not a notice; the notices are ${NOTICE_KINDS.join(', ')}`);
    }
  }
  return new Set(events);
}

function checkedTimeZone(timeZone: unknown): string {
  try {
    if (typeof timeZone !== 'string') throw new RangeError('not a string');
    return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
  } catch {
    throw new ConfigurationError(`accountNotices: timeZone must be an IANA time zone such as 'UTC' or 'Europe/Paris'; got ${JSON.stringify(timeZone)}`);
  }
}

/** Validates the options, once. @throws ConfigurationError naming the bad option. */
export function resolveNoticesOptions(input: AccountNoticesOptions = {}): ResolvedNoticesOptions {
  if (input === null || typeof input !== 'object') throw new ConfigurationError('accountNotices: options must be an object');
  checkOptionKeys('accountNotices', input, OPTION_KEYS);
  const { plugin = 'email', perDay = 10 } = input;
  if (typeof plugin !== 'string' || plugin === '') throw new ConfigurationError('accountNotices: plugin must be the type of an email plugin, such as "email"');
  if (!Number.isInteger(perDay) || perDay < 1) throw new ConfigurationError('accountNotices: perDay must be an integer >= 1');
  return Object.freeze({
    plugin,
    to: optionalFunction(input.to, 'to'),
    locale: optionalFunction(input.locale, 'locale') ?? (() => null),
    timeZone: checkedTimeZone(input.timeZone ?? 'UTC'),
    events: checkedEvents(input.events),
    perDay,
    logger: resolveLogger('accountNotices', input.logger),
  });
}
