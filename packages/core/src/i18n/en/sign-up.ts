/** The sign-up page of the login views (`otpLoginRouter({ signUp })`). */
export const signUp = {
  'signUp.title': 'Create an account',
  'signUp.username': 'Username',
  'signUp.password': 'Password',
  'signUp.passwordHint': 'At least {min} characters.',
  'signUp.submit': 'Create the account',
  'signUp.haveAccount': 'Already have an account? Sign in',
  'signUp.offer': 'New here? Create an account',
  'form.username_taken': 'That username is taken; choose another.',
  'form.username_invalid': 'That username cannot be used; choose another.',
  'form.password_too_short': 'The password needs at least {min} characters.',
} as const;
