import type { Request } from 'express';
import type { MessageKey, MessageParams } from '@otpkit/core';

/** Keeps what an admin action did, to be said once on the user's page the action redirects to (post/redirect/get). */
export function setNotice(req: Request, userId: string, message: MessageKey, params: MessageParams = {}): void {
  req.session.otpkitAdminNotice = { userId, message, params: { ...params } };
}

/** The notice kept for this user's page, translated, and forgotten; `null` when there is none. */
export function takeNotice(req: Request, userId: string): string | null {
  const notice = req.session.otpkitAdminNotice;
  if (notice === undefined || notice.userId !== userId) return null;
  delete req.session.otpkitAdminNotice;
  return req.otp.t(notice.message, notice.params);
}
