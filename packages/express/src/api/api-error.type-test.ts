/** Type tests, checked by `tsc -p tsconfig.json --noEmit` (never run): the API's refusal joins core's codes. */
import type { AnyOtpError } from '@otpkit/core';
import type { HttpErrorCode } from '../http-errors.js';

declare const error: AnyOtpError;
if (error.code === 'ERR_EXPRESS_API_REFUSAL') {
  const apiCode: HttpErrorCode = error.apiCode;
  void apiCode;
}
// @ts-expect-error only the API's refusal has an apiCode
if (error.code === 'ERR_OTP_DELIVERY') void error.apiCode;
