import { checkOptionKeys, ConfigurationError, type AnyDevicePlugin } from '@otpkit/core';

/** What a help request tells the application's administrators. Never a token or a secret. */
export interface RescueHelpRequest {
  /** The user who asked (stored form). */
  readonly userId: string;
  /** The client address as Express sees it (`req.ip`). */
  readonly ip: string | null;
  /** The client's `User-Agent`, cut to 512 characters, or `null`. */
  readonly userAgent: string | null;
  /** When (epoch ms, from otpkit's clock). */
  readonly at: number;
}

/** Rescue by email: a code mailed to an address the user confirmed as an email device. */
export interface RescueEmailOptions {
  /** Rescue by a code mailed to a confirmed address. */
  readonly mode: 'email';
  /** The subject of the notice mailed after a rescue, in every language. @default the catalog's `rescue.notice.subject` in the request's locale ('Account recovery was used') */
  readonly noticeSubject?: string;
  /** The text of that notice, in every language. @default the catalog's `rescue.notice.text` in the request's locale: a recovery code was used, and to act if it was not the user */
  readonly noticeText?: string;
}

/** Rescue by asking for help: otpkit records the request and calls the application; it verifies nothing. */
export interface RescueHelpOptions {
  /** Rescue by telling the administrators. */
  readonly mode: 'help';
  /** Tells the site's administrators (by mail, a ticket...). A throw is a 502 `delivery_failed`. */
  readonly notifyAdmins: (request: RescueHelpRequest) => void | Promise<void>;
}

/** The `rescue` option of `twoFactorApi`. */
export type RescueOptions = false | RescueEmailOptions | RescueHelpOptions;

/** The resolved `rescue` option; an email notice's text left out comes from the catalog. */
export type ResolvedRescue = false | RescueEmailOptions | RescueHelpOptions;

/** Whether devices of `plugin` can carry a rescue: its model has both `RescueChannel` methods (an email device). */
function carriesRescue(plugin: AnyDevicePlugin): boolean {
  const prototype = plugin.model.prototype as Partial<Record<'rescueAddress' | 'notice', unknown>>;
  return typeof prototype.rescueAddress === 'function' && typeof prototype.notice === 'function';
}

/**
 * Validates the `rescue` option against the otp instance's `plugins`: rescue by email needs one
 * whose devices can carry it.
 * @throws ConfigurationError
 */
export function resolveRescue(rescue: unknown, plugins: readonly AnyDevicePlugin[]): ResolvedRescue {
  if (rescue === undefined || rescue === false) return false;
  const mode = (rescue as { mode?: unknown } | null)?.mode;
  if (mode === 'email') {
    checkOptionKeys('twoFactorApi: rescue', rescue as object, ['mode', 'noticeSubject', 'noticeText']);
    const { noticeSubject, noticeText } = rescue as RescueEmailOptions;
    for (const [name, value] of [['noticeSubject', noticeSubject], ['noticeText', noticeText]] as const) {
      if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) throw new ConfigurationError(`twoFactorApi: rescue.${name} must be a non-empty string`);
    }
    if (!plugins.some(carriesRescue)) {
      throw new ConfigurationError("twoFactorApi: rescue { mode: 'email' } mails a code to an address the user confirmed as an email device, but no configured plugin has such devices: add email({ transport, from }) from @otpkit/email to createOtp's devices, or use { mode: 'help', notifyAdmins }");
    }
    return Object.freeze({ mode, ...(noticeSubject === undefined ? {} : { noticeSubject }), ...(noticeText === undefined ? {} : { noticeText }) });
  }
  if (mode === 'help') {
    checkOptionKeys('twoFactorApi: rescue', rescue as object, ['mode', 'notifyAdmins']);
    const { notifyAdmins } = rescue as RescueHelpOptions;
    if (typeof notifyAdmins !== 'function') throw new ConfigurationError("twoFactorApi: rescue { mode: 'help' } needs a notifyAdmins function");
    return Object.freeze({ mode, notifyAdmins });
  }
  throw new ConfigurationError("twoFactorApi: rescue must be false, { mode: 'email' } or { mode: 'help', notifyAdmins }");
}
