import type { OtpEvent } from '@otpkit/express';
import { normalizeEmailAddress } from '@otpkit/email';
import type { Transporter } from 'nodemailer';
import type { UserStore } from './users.js';

/** What happened to the account's factors, as the notice says it. */
const WHAT: Partial<Record<OtpEvent['type'], string>> = {
  deviceAdded: 'A sign-in method was added to your account',
  deviceRemoved: 'A sign-in method was removed from your account',
  backupCodesRegenerated: 'New backup codes were generated for your account',
  rescueUsed: 'Your account was signed in to through account rescue',
};

/** The event fields a notice needs (otpMiddleware's hooks pass the whole event). */
export type NoticeEvent = Pick<OtpEvent, 'type' | 'userId' | 'at'>;

/** Notices per user per 24 hours: the account's address was never confirmed, so it may be anyone's. */
export const NOTICES_PER_DAY = 10;
const DAY_MS = 86_400_000;

/**
 * Mails the user a notice when the account's factors change (an `events` hook of otpMiddleware,
 * also called by the demo's own device pages). A notice names what happened and when, never a
 * code, secret or device detail; it goes to the account's address, at most {@link NOTICES_PER_DAY}
 * a day per user (counted in memory: the demo is one process). A failed send is logged, never thrown.
 */
export function accountNotices(users: UserStore, mailer: Transporter, from: string, log: (error: unknown) => void = console.error) {
  const windows = new Map<string, { start: number; sent: number }>();
  const allowed = (userId: string, at: number): boolean => {
    const window = windows.get(userId);
    if (window === undefined || at - window.start >= DAY_MS) {
      windows.set(userId, { start: at, sent: 1 });
      return true;
    }
    window.sent += 1;
    return window.sent <= NOTICES_PER_DAY;
  };
  return async (event: NoticeEvent): Promise<void> => {
    const what = WHAT[event.type];
    const to = normalizeEmailAddress((await users.findById(event.userId))?.email);
    if (what === undefined || to === null) return;
    if (!allowed(String(event.userId), event.at)) return;
    const text = `${what} at ${new Date(event.at).toISOString()}.\n\nIf this was not you, change your password and review your devices.`;
    await mailer.sendMail({ from, to, subject: `otpkit demo: ${what.toLowerCase()}`, text }).catch(log);
  };
}
