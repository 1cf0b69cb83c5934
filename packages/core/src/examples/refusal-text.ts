import { describeRefusal, isOtpError, type Otp, type RefusalReason } from '@otpkit/core';

/** What the app says for each reason otpkit refuses with; `{s}` is the wait in seconds. */
const TEXTS: Record<RefusalReason, string> = {
  invalid_token: 'That code is not right.',
  malformed_token: 'A code is letters and digits only.',
  no_device: 'That device is not available; choose another.',
  throttled: 'Too many wrong codes: try again in {s} s.',
  suspected_clone: 'That security key may have been copied; use another device.',
  not_interactive: 'That device does not send codes.',
  cooldown: 'A code was sent just now: ask again in {s} s.',
  daily_limit: "Today's codes are spent: ask again in {s} s, or use another device.",
};

/** Signs in with a code from any of the user's devices and says what happened. */
export async function signInWithCode(otp: Otp, userId: string, code: string): Promise<string> {
  try {
    const outcome = await otp.match(userId, code);
    if (outcome.ok) return `Signed in with ${outcome.device.name}.`;
    // One mapping for every refusal: the reason, the wait, the guessing budget spent.
    const { reason, retryAfter } = describeRefusal(outcome, otp.clock());
    return TEXTS[reason].replace('{s}', String(retryAfter));
  } catch (error) {
    // Comparing the code narrows the error to its class (here StorageError).
    if (isOtpError(error) && error.code === 'ERR_OTP_STORAGE') return 'Something is down on our side; try again soon.';
    throw error;
  }
}
