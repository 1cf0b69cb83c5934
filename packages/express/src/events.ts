/**
 * The events otpkit's Express integration reports, by hook name. `deviceAdded` is a device
 * confirmed (or enrolled confirmed, as backup codes are); `backupCodesRegenerated` is the one
 * device of a one-per-user plugin (backup codes) enrolled again, which replaced its codes.
 */
export type OtpEventName =
  | 'verified'
  | 'failed'
  | 'throttled'
  | 'challengeSent'
  | 'deviceAdded'
  | 'deviceRemoved'
  | 'backupCodesRegenerated'
  | 'rescueUsed';

/**
 * What every event carries. Never a token, a secret or a password: hooks may log it as it is.
 */
export interface OtpEvent {
  /** Which hook this is. */
  readonly type: OtpEventName;
  /** The user the event concerns (stored form: a string). */
  readonly userId: string;
  /** The device's persistent id (`totp/3`), or `null` when none was involved (a `matchToken` miss). */
  readonly deviceId: string | null;
  /** The client address as Express sees it (`req.ip`; mind `trust proxy`). */
  readonly ip: string | null;
  /** The client's `User-Agent` header, cut to 512 characters, or `null`. */
  readonly userAgent: string | null;
  /** When it happened (epoch ms, from otpkit's injected clock). */
  readonly at: number;
  /** For `failed` and `throttled`: units of the user's guessing budget spent; absent when nothing was charged (a malformed token). */
  readonly failureCount?: number;
  /** With `failureCount`: when the next attempt is allowed (epoch ms), or `null`. */
  readonly lockedUntil?: number | null;
  /** For `verified`: how the verification happened. */
  readonly method?: 'token' | 'remembered' | 'rescue';
  /** For `rescueUsed`: `email` (a code to a confirmed address verified the session) or `help` (administrators were told). */
  readonly rescueMode?: 'email' | 'help';
}

/**
 * Hooks called after each event. They are awaited; an error a hook throws is logged and swallowed,
 * so a broken audit sink never breaks a login.
 */
export type OtpEventHooks = {
  readonly [name in OtpEventName]?: (event: OtpEvent) => void | Promise<void>;
};
