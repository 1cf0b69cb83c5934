/** The JSON API's error messages, by `error.<code>` (the codes of `httpErrors`). */
export const errors = {
  'error.not_found': 'Not found',
} as const;
