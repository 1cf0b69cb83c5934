import type { Request } from 'express';
import type { Messages, Translator } from '@otpkit/core';
import type { OtpRequestState } from '../otp-request-state.js';

/**
 * The messages of a request: `req.otp`'s (otpMiddleware's `locale`, else `Accept-Language`) when
 * otpMiddleware ran before, else `messages` in the locale `Accept-Language` asks for.
 */
export function requestText(req: Request, messages: Messages): Translator {
  const state = (req as { otp?: OtpRequestState }).otp;
  return state ?? messages.translator(messages.negotiate(req.get('accept-language')));
}
