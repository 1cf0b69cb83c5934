import { ConfigurationError, OTP_EVENT_TYPES, type AnyDevicePlugin, type Otp, type OtpEvent, type OtpEventHooks } from '@otpkit/core';
import { normalizeEmailAddress } from './email-address.js';
import { NoticeCap } from './notice-cap.js';
import { noticeText } from './notice-mail.js';
import { accountNoticeMigrations } from './notice-migrations.js';
import { noticeOf, type Notice } from './notice-of-event.js';
import { resolveNoticesOptions, type AccountNoticesOptions, type ResolvedNoticesOptions } from './notice-options.js';
import { emailPluginOptions, mailThroughPlugin } from './plugin-mail.js';

const CODE = /^[A-Za-z0-9_]{1,40}$/;

/**
 * Why a notice failed, for the log: otpkit's error code and its cause's (nodemailer's `EENVELOPE`,
 * a database's), never a message, which may hold the address.
 */
function failureOf(error: unknown): string {
  const codes = [error, (error as { cause?: unknown } | null)?.cause].map((value) => (value as { code?: unknown } | null)?.code);
  return codes.filter((code): code is string => typeof code === 'string' && CODE.test(code)).join(' ') || 'an unexpected error';
}

/**
 * Mails users a notice when something happens to their account's sign-in (see {@link NoticeKind}),
 * through an email plugin's transport and sender, in the user's locale, from the message catalog's
 * `notices.*` messages (reword them with `createOtp({ messages })`). A notice says what happened
 * and when; never a code, a secret, a token, an address or a phone number. It listens to the otp
 * instance's events, so every change is noticed, whichever page, API or command made it. Notices
 * are sent before the call that made the change returns; one that fails is logged (the user and
 * the notice, never the address) and never fails the change. Build it with {@link accountNotices}.
 */
export class AccountNotices {
  readonly #otp: Otp;
  readonly #options: ResolvedNoticesOptions;
  readonly #plugin: AnyDevicePlugin;
  readonly #cap: NoticeCap;
  readonly #unsubscribe: () => void;

  /** Use {@link accountNotices}. */
  constructor(otp: Otp, options: AccountNoticesOptions = {}) {
    this.#options = resolveNoticesOptions(options);
    const plugin = otp.plugins.find((candidate) => candidate.type === this.#options.plugin);
    if (plugin === undefined) {
      throw new ConfigurationError(`accountNotices: no "${this.#options.plugin}" plugin is configured: add email({ transport, from }) to createOtp's devices, or name yours with { plugin }`);
    }
    emailPluginOptions(plugin, 'accountNotices');
    this.#otp = otp;
    this.#plugin = plugin;
    this.#cap = new NoticeCap(otp.knex, this.#options.perDay);
    const notify = (event: OtpEvent) => this.#notify(event);
    this.#unsubscribe = otp.subscribe(Object.fromEntries(OTP_EVENT_TYPES.map((type) => [type, notify])) as OtpEventHooks);
  }

  /** Creates or updates the notice table, `otp_account_notice` (recorded as `notices/<name>` in the otp instance's migrations table). */
  async migrate(): Promise<void> {
    await this.#otp.migrateOwner('notices', accountNoticeMigrations);
  }

  /** Stops the notices (their event hooks are removed). */
  stop(): void {
    this.#unsubscribe();
  }

  /** Mails the notice `event` calls for, if any, within the cap; logs instead of throwing. */
  async #notify(event: OtpEvent): Promise<void> {
    let notice: Notice | null = null;
    try {
      notice = await noticeOf(this.#otp, event, this.#options.events);
      if (notice === null) return;
      const userId = event.userId!;
      const to = await this.#addressOf(userId);
      if (to === null) return;
      if (notice.kind === 'throttled' && !(await this.#cap.takeThrottled(userId, event.at))) return;
      if (!(await this.#cap.take(userId, event.at))) {
        this.#options.logger.warn(`account notices: user ${userId} had ${this.#options.perDay} notices in 24 hours; a ${notice.kind} notice was not sent`);
        return;
      }
      const translator = this.#otp.messages.translator(await this.#options.locale(userId));
      const { subject, text } = noticeText(notice, event.at, translator, this.#options.timeZone);
      await mailThroughPlugin(this.#plugin, to, { subject, text, html: null }, {});
    } catch (error) {
      this.#options.logger.warn(`account notices: a ${notice?.kind ?? event.type} notice to user ${event.userId} was not sent (${failureOf(error)})`);
    }
  }

  /** Where the user's notices go: the `to` option's answer, or the users table's address; `null` for none or not one address. */
  async #addressOf(userId: string): Promise<string | null> {
    const given = this.#options.to === null ? (await this.#otp.users.findById(userId))?.email : await this.#options.to(userId);
    if (given === null || given === undefined) return null;
    const address = normalizeEmailAddress(typeof given === 'string' ? given.trim() : given);
    if (address === null) this.#options.logger.warn(`account notices: user ${userId} has no usable address (not one email address); no notice was sent`);
    return address;
  }
}

/**
 * Turns account notices on: mails each user when a device is added or removed, backup codes are
 * regenerated or run low, the account is throttled, account rescue is used, or an administrator
 * acted (`options.events` chooses), at most `perDay` a day. Run `migrate()` once at start-up (the
 * cap's table); `stop()` turns them off.
 * @throws ConfigurationError for a bad option or when the email plugin is not configured.
 */
export function accountNotices(otp: Otp, options: AccountNoticesOptions = {}): AccountNotices {
  return new AccountNotices(otp, options);
}
