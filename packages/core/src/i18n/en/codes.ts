/**
 * The messages that carry a code or a link (the email and SMS plugins, passwordless sign-in) and
 * what the user is told once one left. Templates fill `{token}`, `{validMinutes}`, `{deviceName}`,
 * `{link}` and the plugins' `context`; in an `html` template, filled values are HTML-escaped.
 */
export const codes = {
  'email.sent': 'sent by email',
  'email.code.subject': 'Your verification code',
  'email.code.text': 'Your verification code is {token}. It expires in {validMinutes} minutes.',
  'email.code.html': '<p>Your verification code is <strong>{token}</strong>.</p><p>It expires in {validMinutes} minutes.</p>',
  'sms.sent': 'sent by SMS',
  'sms.code.text': 'Your verification code is {token}',
  'signin.link.subject': 'Your sign-in link',
  'signin.link.text': 'Sign in by opening this link: {link}\n\nIt expires in {validMinutes} minutes and works once. If you did not ask for it, ignore this message.',
  'signin.link.html':
    '<p><a href="{link}">Sign in</a></p><p>The link expires in {validMinutes} minutes and works once. If you did not ask for it, ignore this message.</p>',
} as const;
