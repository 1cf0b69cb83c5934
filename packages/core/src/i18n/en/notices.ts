/**
 * The account notices `@otpkit/email`'s `accountNotices` mails: a subject and a plain-text body
 * per notice, filled with `{at}` (when, in the user's locale), `{method}`, `{action}` and `{count}`
 * as each says, then with the email plugin's `context` (`{appName}`). None ever carries a code, a
 * secret or an address.
 */
export const notices = {
  'notices.deviceAdded.subject': 'A sign-in method was added to your account',
  'notices.deviceAdded.text':
    'A sign-in method was added to your account on {at}: {method}.\n\nIf this was not you, change your password and review the sign-in methods of your account.',
  'notices.deviceRemoved.subject': 'A sign-in method was removed from your account',
  'notices.deviceRemoved.text':
    'A sign-in method was removed from your account on {at}: {method}.\n\nIf this was not you, change your password and review the sign-in methods of your account.',
  'notices.backupCodesRegenerated.subject': 'New backup codes were generated for your account',
  'notices.backupCodesRegenerated.text':
    'New backup codes were generated for your account on {at}; the previous ones no longer work.\n\nIf this was not you, change your password and generate new backup codes.',
  'notices.backupCodesLow.subject': 'You are running out of backup codes',
  'notices.backupCodesLow.text': {
    one: 'A backup code was used to sign in to your account on {at}. You have {count} backup code left: generate new ones before you run out.\n\nIf this was not you, change your password and generate new backup codes.',
    other:
      'A backup code was used to sign in to your account on {at}. You have {count} backup codes left: generate new ones before you run out.\n\nIf this was not you, change your password and generate new backup codes.',
  },
  'notices.throttled.subject': 'Sign-in attempts on your account were paused',
  'notices.throttled.text':
    'Too many wrong codes were entered for your account, so sign-in attempts were paused on {at}.\n\nIf this was not you, someone may know your password: change it.',
  'notices.rescueUsed.subject': 'Account recovery was used for your account',
  'notices.rescueUsed.email.text':
    'Someone signed in to your account on {at} with a code sent to your recovery address instead of a sign-in method.\n\nIf this was not you, change your password and review the sign-in methods of your account.',
  'notices.rescueUsed.help.text':
    'Someone asked the administrators for help to sign in to your account on {at}.\n\nIf this was not you, tell your administrator.',
  'notices.adminAction.subject': 'An administrator changed your account',
  'notices.adminAction.text': 'An administrator made a change to your account on {at}: {action}.\n\nIf you did not expect this, contact your administrator.',
  'notices.action.deviceAdded': 'a sign-in method was added ({method})',
  'notices.action.deviceRemoved': 'a sign-in method was removed ({method})',
  'notices.action.backupCodesRegenerated': 'new backup codes were generated',
  'notices.action.backupCodeAdded': 'a one-time backup code was issued',
  'notices.action.browsersRevoked': 'browsers that skipped the code will ask for it again',
  'notices.action.passwordChanged': 'the password was changed',
  'notices.action.throttleReset': 'paused sign-in attempts were allowed again',
  'notices.action.tokenSessionsRevoked': 'signed-in apps were signed out',
  'notices.action.preferredDeviceChanged': 'the sign-in method asked for first was changed',
  'notices.action.other': 'the sign-in settings were changed',
  'notices.method.totp': 'authenticator app',
  'notices.method.hotp': 'hardware token',
  'notices.method.static': 'backup codes',
  'notices.method.email': 'codes by email',
  'notices.method.sms': 'codes by text message',
  'notices.method.webauthn': 'security key or passkey',
  'notices.method.other': 'another sign-in method',
} as const;
