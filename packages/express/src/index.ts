/**
 * @otpkit/express: Express integration: otpMiddleware, otpRequired, login views, the JSON two-factor API.
 * @packageDocumentation
 */
import './augment.js';

export { otpMiddleware, type OtpMiddlewareOptions } from './otp-middleware.js';
export { OtpRequestState, type VerificationMethod } from './otp-request-state.js';
export { otpRequired, type OtpRequiredOptions } from './otp-required.js';
export { type RememberDeviceOptions } from './remember-device.js';
export type { OtpEvent, OtpEventHooks, OtpEventName } from './events.js';
export { httpErrors, type HttpErrorCode } from './http-errors.js';
