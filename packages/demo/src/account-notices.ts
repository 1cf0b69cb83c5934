import type { OtpEvent } from '@otpkit/core';
import { normalizeEmailAddress } from '@otpkit/email';
import type { Transporter } from 'nodemailer';
import type { UserStore } from './users.js';

const ADDED = 'A sign-in method was added to your account';

/** What happened to the account's factors, as the notice says it; `undefined` for an event that changed none (an enrolment started or abandoned). */
function noticeOf(event: OtpEvent): string | undefined {
  switch (event.type) {
    case 'deviceAdded':
      return event.confirmed ? ADDED : undefined;
    case 'deviceConfirmed':
      return ADDED;
    case 'deviceRemoved':
      return event.confirmed ? 'A sign-in method was removed from your account' : undefined;
    case 'backupCodesRegenerated':
      return 'New backup codes were generated for your account';
    case 'rescueUsed':
      return 'Your account was signed in to through account rescue';
    default:
      return undefined;
  }
}

/** Notices per user per 24 hours: the account's address was never confirmed, so it may be anyone's. */
export const NOTICES_PER_DAY = 10;
const DAY_MS = 86_400_000;

/**
 * Mails the user a notice when the account's factors change (the `events` hooks of createOtp, so
 * every change is noticed, whichever page, API or command made it). A notice names what happened and when, never a
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
  return async (event: OtpEvent): Promise<void> => {
    const what = noticeOf(event);
    if (what === undefined || event.userId === null) return;
    const to = normalizeEmailAddress((await users.findById(event.userId))?.email);
    if (to === null) return;
    if (!allowed(String(event.userId), event.at)) return;
    const text = `${what} at ${new Date(event.at).toISOString()}.\n\nIf this was not you, change your password and review your devices.`;
    await mailer.sendMail({ from, to, subject: `otpkit demo: ${what.toLowerCase()}`, text }).catch(log);
  };
}
