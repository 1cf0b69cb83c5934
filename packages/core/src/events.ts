/**
 * What otpkit reports after each change it makes: one event per committed change, whoever made it
 * (a direct call, the Express API or login views, the CLI). Events carry who, what, when and
 * through which entry point, never a token, a secret, a code or a password.
 * @module
 */
import type { UserId } from './user-id.js';

/** Every event type, in the order the docs list them. */
export const OTP_EVENT_TYPES = Object.freeze([
  'verified',
  'failed',
  'throttled',
  'cloneSuspected',
  'challengeSent',
  'deviceAdded',
  'deviceConfirmed',
  'deviceRemoved',
  'enrolmentExpired',
  'backupCodesRegenerated',
  'backupCodeAdded',
  'browserRemembered',
  'browsersRevoked',
  'passwordChanged',
  'secretsRotated',
  'rescueUsed',
  'preferredDeviceChanged',
  'throttleReset',
  'tokenSessionsRevoked',
] as const);

/** The name of an event, which is also the name of its hook in `createOtp({ events })`. */
export type OtpEventType = (typeof OTP_EVENT_TYPES)[number];

/** Events about the whole instance rather than one user (their `userId` is `null`). */
export type InstanceEventType = 'secretsRotated';

/** Events about one user. */
export type UserEventType = Exclude<OtpEventType, InstanceEventType>;

/**
 * Who asked for a change, passed as the last argument of every `Otp` method that changes state or
 * verifies, and copied into the event. Text is cut to the audit table's column sizes, and values
 * that are not printable strings are dropped.
 */
export interface EventMeta {
  /** The client's address (`req.ip`). @default null */
  readonly ip?: string | null;
  /** The client's `User-Agent`, cut to 255 characters. @default null */
  readonly userAgent?: string | null;
  /**
   * The entry point: `'api'` (the JSON API), `'views'` (the login views), `'express'` (otpMiddleware
   * and `req.otp` in the application's own routes), `'cli'`, `'direct'`, or a name of yours (at
   * most 32 characters). @default 'direct'
   */
  readonly via?: string;
  /**
   * The administrator who made the change on the user's behalf (an admin page, the CLI's
   * `cli:<os user>`), printable text cut to 64 characters; absent when users act for themselves.
   * @default null
   */
  readonly actor?: string | null;
}

/** The fields each event type adds to {@link OtpEventBase}. */
export interface OtpEventDetails {
  /** A token verified (`verify`, `match`), or a remembered browser verified a session (reported by `@otpkit/express`). */
  verified: { readonly method: 'token' } | { readonly method: 'remembered'; readonly browserId: number };
  /** A token was refused (`invalid_token`). */
  failed: {
    /** Units of the user's guessing budget now spent (0 for an uncharged miss; absent for a malformed token, which charged nothing). */
    readonly failureCount?: number;
    /** When the next attempt is allowed (epoch ms), or `null`; absent for a malformed token. */
    readonly lockedUntil?: number | null;
  };
  /** A verification was refused because the guessing budget or the device's throttle is spent. */
  throttled: { readonly failureCount: number; readonly lockedUntil: number };
  /**
   * A genuine token was refused because another copy of the device seems to exist (a WebAuthn
   * authenticator's signature counter went back: `suspected_clone`). Worth an alert: the
   * credential may have been copied. `deviceId` is the device named, or `null` for a `match`.
   */
  cloneSuspected: Record<never, never>;
  /** An interactive device sent a token. */
  challengeSent: {
    /** Until when (epoch ms) the token is valid. */
    readonly validUntil: number;
  };
  /** `createDevice` made a device, or `importDevices` brought one from another system. */
  deviceAdded: {
    /** Whether it was created confirmed (no enrolment). */
    readonly confirmed: boolean;
    /** Set when `importDevices` made it: the user's factor moved from another system, it is not new. */
    readonly imported?: true;
  };
  /** `confirmDevice` finished a device's enrolment. */
  deviceConfirmed: Record<never, never>;
  /** `removeDevice` deleted a device (and revoked the browsers it remembered). */
  deviceRemoved: {
    /** Whether it was confirmed (a factor of the account) or an enrolment in progress. */
    readonly confirmed: boolean;
  };
  /** An unconfirmed device whose enrolment expired was deleted (`sweepExpiredEnrolments`, `createDevice`). */
  enrolmentExpired: Record<never, never>;
  /** A backup-code device's codes were all replaced. */
  backupCodesRegenerated: {
    /** How many codes it now has. */
    readonly count: number;
  };
  /** One backup code was added (`addStaticToken`, `otp.issueBootstrapCode`, `otpkit addstatictoken`), to an existing device or to the one just created (after its `deviceAdded`). */
  backupCodeAdded: Record<never, never>;
  /** A browser was remembered for the device (`deviceId`). */
  browserRemembered: {
    /** The remembered browser's row id (`otp.browsers.list`). */
    readonly browserId: number;
    /** When it stops counting (epoch ms). */
    readonly expiresAt: number;
  };
  /** Remembered browsers were revoked (one by id or cookie, all of them, or at a password change). */
  browsersRevoked: {
    /** How many. */
    readonly count: number;
  };
  /**
   * The application reported a password change or reset (`otp.passwordChanged`), after the user's
   * remembered browsers were revoked. Token sessions listen to it and end the user's sessions.
   */
  passwordChanged: Record<never, never>;
  /** `rotateSecrets` rewrote stored values. */
  secretsRotated: {
    /** How many stored values were rewritten. */
    readonly rewritten: number;
  };
  /** The account was rescued (reported by `@otpkit/express`): a code to a confirmed address verified the session, or the administrators were asked for help. */
  rescueUsed: { readonly rescueMode: 'email' | 'help' };
  /**
   * `otp.userSettings.setPreferredDevice` changed the device the user is asked for first:
   * `deviceId` is the new one, or `null` when the preference was cleared. Removing the preferred
   * device clears it too, reported only as `deviceRemoved`.
   */
  preferredDeviceChanged: Record<never, never>;
  /** `otp.resetThrottle` reset the user's guessing budget and every device's throttle (reported on every call). */
  throttleReset: {
    /** Whether anything was throttled (a failure counted) before the reset. */
    readonly cleared: boolean;
  };
  /** Token sessions of the user were revoked (reported by `@otpkit/tokens`: one, the others, or all of them; not when none was live). */
  tokenSessionsRevoked: {
    /** How many live sessions ended. */
    readonly count: number;
  };
}

/** What every event carries. */
export interface OtpEventBase<T extends OtpEventType = OtpEventType> {
  /** Which event (and hook) this is. */
  readonly type: T;
  /** The user it concerns (stored form), or `null` for an event about the whole instance (`secretsRotated`). */
  readonly userId: T extends InstanceEventType ? null : string;
  /** The device's persistent id (`totp/3`), or `null` when none is concerned (a `match` miss, `rescueUsed` by help, `browsersRevoked` of all). */
  readonly deviceId: string | null;
  /** When it happened (epoch ms, from the injected clock). */
  readonly at: number;
  /** The entry point ({@link EventMeta.via}). */
  readonly via: string;
  /** The client's address, or `null`. */
  readonly ip: string | null;
  /** The client's `User-Agent` (at most 255 characters), or `null`. */
  readonly userAgent: string | null;
  /** The administrator who acted ({@link EventMeta.actor}, at most 64 characters), or `null`. */
  readonly actor: string | null;
}

/** The event of one type: {@link OtpEventBase} and the type's {@link OtpEventDetails}. */
export type OtpEventOf<T extends OtpEventType> = OtpEventBase<T> & OtpEventDetails[T];

/** Any event; narrow it on `type`. */
export type OtpEvent = { [T in OtpEventType]: OtpEventOf<T> }[OtpEventType];

/**
 * Hooks by event type (`createOtp({ events })`). Core calls them after the change committed, in
 * order, and awaits each, so a slow hook delays the caller's answer (queue slow work yourself); a
 * hook that throws is logged through `logger` and never fails the change.
 */
export type OtpEventHooks = { readonly [T in OtpEventType]?: (event: OtpEventOf<T>) => void | Promise<void> };

/**
 * An event that happened outside core's own methods, for `otp.recordEvent`: a plugin's
 * device method (backup codes) or the application layer (a remembered browser, a rescue).
 */
export type ReportedEvent = {
  [T in UserEventType]: { readonly type: T; readonly userId: UserId; readonly deviceId: string | null } & OtpEventDetails[T];
}[UserEventType];
