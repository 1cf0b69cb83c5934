/** The pages of refusals and magic links (message pages, the link confirmation). */
export const pages = {
  'page.notFound.title': 'Not found',
  'page.formExpired.title': 'Form expired',
  'page.tooLarge.title': 'Too large',
  'page.badRequest.title': 'Bad request',
  'page.unavailable.title': 'Temporarily unavailable',
  'page.unavailable.retry': 'Try again',
  'page.linkExpired.title': 'Link expired',
  'page.backToSite': 'Back to the site',
  'page.linkConfirm.title': 'Sign in on this browser?',
  'page.linkConfirm.elsewhere': 'This sign-in link was asked for on another browser or device.',
  'page.linkConfirm.warning': 'Continue only if you asked for it yourself, just now. A link someone sent you would sign you in to their account.',
  'page.linkConfirm.submit': 'Sign in on this browser',
} as const;
