import type { Express } from 'express';
import type { Otp, TokenSessionsLike } from '@otpkit/core';
import { otpAdminRouter } from '@otpkit/express';

/** What the admin example needs from its host: the otp instance, who is an administrator, and token sessions if the app has them. */
export interface AdminPagesOptions {
  readonly otp: Otp;
  readonly isAdmin: (userId: string) => Promise<boolean>;
  readonly tokenSessions?: TokenSessionsLike;
}

/** Mounts the admin pages on an app that already has express-session, otpMiddleware and the login views at /account. */
export function mountAdminPages(app: Express, { otp, isAdmin, tokenSessions }: AdminPagesOptions): void {
  // #region admin
  // The admin pages, for administrators who verified this session with their second factor.
  app.use(
    '/admin/2fa',
    otpAdminRouter(otp, {
      // The administrator's id (every event an action causes names it as `actor`), or null: 403.
      authorize: async (req) => (req.otp.userId !== null && (await isAdmin(req.otp.userId)) ? req.otp.userId : null),
      verifyUrl: '/account/verify', // an administrator who has not verified yet is offered this page
      tokenSessions, // optional: list and sign out the user's token sessions
    }),
  );
  // #endregion
}
