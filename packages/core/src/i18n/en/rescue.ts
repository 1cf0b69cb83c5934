/** Account rescue over the JSON API: the notice mailed after a rescue, and the answer to a help request. */
export const rescue = {
  'rescue.notice.subject': 'Account recovery was used',
  'rescue.notice.text':
    'A recovery code sent to this address was just used to sign in to your account without its usual second factor. If this was not you, change your password and review your two-factor devices now.',
  'rescue.helpSent': "The site's administrators were told; they will contact you",
} as const;
