/** The login views (sign-in, token, message pages). */
export const views = {
  'views.backToSignIn': 'Back to sign in',
} as const;
