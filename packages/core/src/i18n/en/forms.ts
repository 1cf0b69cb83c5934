/** The errors of the token forms (django-otp's codes and wording), by `form.<code>`. */
export const forms = {
  'form.token_required': 'Please enter your OTP token.',
  'form.invalid_token': 'Invalid token. Please make sure you have entered it correctly.',
  'form.malformed_token': 'That is not a token. Please enter the letters and digits of the code, as it was given.',
  'form.challenge_exception': 'The code could not be sent. Try again later, or use another device.',
  'form.not_interactive': 'The selected OTP device is not interactive',
  'form.challenge_message': 'OTP Challenge: {message}',
  'form.n_failed_attempts': 'Verification temporarily disabled because of {failureCount} failed attempt(s), please try again in {retryAfter} second(s).',
  'form.cooldown': 'A code was sent recently; you can ask for another in {retryAfter} second(s).',
  'form.daily_limit': 'Too many codes were sent today; you can ask for another in {retryAfter} second(s), or use another device.',
  'form.suspected_clone': 'This security key may have been copied, so it was refused. Use another device and tell the site owner.',
  'form.invalid_login': 'Please enter a correct username and password.',
  'form.invalid_credentials': 'Please enter a correct username, password and verification code. After several failed attempts, sign-in is paused for a while.',
  'form.passkey_refused': 'That passkey could not sign you in. Try again, or sign in with your password.',
  'form.field_required': 'This field is required.',
} as const;
