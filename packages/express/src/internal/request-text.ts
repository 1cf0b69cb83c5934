import type { Request } from 'express';
import type { Messages, Translator } from '@otpkit/core';
import { isServable } from './context.js';

/**
 * The messages of a request: `req.otp`'s (otpMiddleware's `locale`, else `Accept-Language`) when
 * otpMiddleware ran before, else `messages` in the locale `Accept-Language` asks for.
 */
export function requestText(req: Request, messages: Messages): Translator {
  return isServable(req) ? req.otp : messages.translator(messages.negotiate(req.get('accept-language')));
}
