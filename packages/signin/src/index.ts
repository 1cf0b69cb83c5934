/**
 * @otpkit/signin: passwordless sign-in by a code sent by SMS or email, or by a magic link, with
 * answers that tell nothing about which accounts exist, send limits, and optional registration.
 * @packageDocumentation
 */
export { createSignIn, SignIn } from './sign-in.js';
export { DEFAULT_SIGN_IN_OPTIONS, type LinkMessage, type SignInOptions } from './options.js';
export { DEFAULT_LIMITS, defaultLimits, type SignInLimits } from './limits.js';
export { signInMigrations } from './migrations.js';
export type {
  SignInMethod,
  SignInAddress,
  SignInCode,
  SignInStartOutcome,
  SignInRateLimited,
  SignInRefusal,
  SignedIn,
  SignInFinishOutcome,
  LinkRecipient,
  LinkStartMeta,
  LinkFinishOptions,
  LinkSignedIn,
  LinkRefusal,
  LinkFinishOutcome,
} from '@otpkit/core';
