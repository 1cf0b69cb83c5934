/// <reference types="express-session" preserve="true" />
/**
 * Type augmentations: `req.otp` and `req.token` on Express requests and otpkit's fields in express-session data.
 * @module
 */
import type { OtpRequestState } from './otp-request-state.js';
import type { AccessTokenClaims, MessageKey } from '@otpkit/core';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The second-factor state of this request; set by `otpMiddleware`. */
      otp: OtpRequestState;
      /** The verified claims of the request's bearer access token; set by `tokenRequired`, absent elsewhere. */
      token?: AccessTokenClaims;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    /** The authenticated user's id, where `otpLoginRouter` and the default `getUserId` keep it. */
    userId?: string | number;
    /** The verification: the device's persistent id, when (epoch ms), how, and the remembered browser's id. Managed by otpkit. */
    otpkit?: { device: string; verifiedAt: number; method?: 'token' | 'remembered' | 'rescue' | 'passkey'; browser?: number; uv?: boolean };
    /** The session's ceremony binding (WebAuthn challenges are bound to it). Managed by otpkit. */
    otpkitBinding?: string;
    /** The device (a rescue channel) a rescue sent a code to. Managed by otpkit. */
    otpkitRescue?: string;
    /** The device a passwordless sign-in by code or link used: one factor, so it cannot also verify the session. Managed by otpkit. */
    otpkitSignedInWith?: string;
    /** What the last admin action did, for the admin page it redirected to (`otpAdminRouter`). Managed by otpkit. */
    otpkitAdminNotice?: { userId: string; message: MessageKey; params: Record<string, string | number> };
    /** The CSRF token of otpkit's forms (csrf-sync); not carried across a regeneration. */
    csrfToken?: string;
  }
}

export {};
