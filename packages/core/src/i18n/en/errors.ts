/** The JSON API's error messages, by `error.<code>` (the codes of `httpErrors`). */
export const errors = {
  'error.enrolment_required': 'Your account requires two-factor authentication: set up a second factor first',
  'error.not_found': 'Not found',
} as const;
