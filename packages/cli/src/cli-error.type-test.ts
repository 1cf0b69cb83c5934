/** Type tests, checked by `tsc -p tsconfig.json --noEmit` (never run): the command line's codes join core's. */
import { isOtpError, type AnyOtpError } from '@otpkit/core';
import type { ThrottledError, UnknownUserError } from './cli-error.js';

declare const error: AnyOtpError;
if (error.code === 'ERR_CLI_THROTTLED') {
  const throttled: ThrottledError = error;
  void throttled;
  // @ts-expect-error narrowed to the one class with that code
  const unknownUser: UnknownUserError = error;
  void unknownUser;
}
if (error.code === 'ERR_OTP_INVALID_INPUT') void error.field;
declare const caught: unknown;
// @ts-expect-error no such code
if (isOtpError(caught) && caught.code === 'ERR_CLI_NO_SUCH_CODE') void caught;
