/**
 * @otpkit/express: Express integration: otpMiddleware, otpRequired, tokenRequired, login views, the JSON two-factor API, the admin pages.
 * @packageDocumentation
 */
import './augment.js';

export { otpMiddleware, type OtpMiddlewareOptions } from './otp-middleware.js';
export type { TwoFactorPolicy, TwoFactorPolicyState, PolicyRequirement } from './policy/two-factor-policy.js';
export { OtpRequestState, type VerificationMethod } from './otp-request-state.js';
export { otpRequired, type OtpRequiredOptions } from './otp-required.js';
export { tokenRequired, type TokenRequiredOptions } from './token-required.js';
export { type RememberDeviceOptions } from './remember-device.js';
export { httpErrors, type HttpErrorCode } from './http-errors.js';
export { otpLoginRouter, type OtpLoginRouterOptions } from './otp-login-router.js';
export { otpAdminRouter } from './admin/otp-admin-router.js';
export type { OtpAdminRouterOptions } from './admin/admin-options.js';
export { anonymousFormCsrf, type AnonymousFormCsrf } from './anonymous-form-csrf.js';
export { OTPTokenForm } from './forms/otp-token-form.js';
export { OTPAuthenticationForm, type Authenticate, type OtpAuthenticationResult } from './forms/otp-authentication-form.js';
export type { OtpFormResult, BrowserChallenge } from './forms/clean-otp.js';
export { ceremonyBinding } from './internal/ceremony-binding.js';
export { defaultLogIn, type PasskeySignInFlow, type PasskeyCeremonyBinding, type LogIn } from './passkey-sign-in-flow.js';
export { otpFormMessages, type OtpFormError, type OtpFormErrorCode } from './forms/form-errors.js';
export type { DeviceSummary } from './internal/device-summary.js';
export { twoFactorApi } from './two-factor-api.js';
export type { TwoFactorApiOptions } from './api/api-setup.js';
export { tokenSender, type TokenSender, type TokenSenderOptions, type TokenTransport, type TokenTransportOptions, type TokenCookieOptions } from './token-transport.js';
export type { RescueOptions, RescueEmailOptions, RescueHelpOptions, RescueHelpRequest } from './api/rescue-options.js';
