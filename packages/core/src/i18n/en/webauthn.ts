/** The parts of the pages a security key or passkey is used in, and the browser script's errors. */
export const webauthn = {
  'webauthn.challenge': 'Use your security key or passkey',
  'webauthn.useDevice': 'Use {device}',
  'webauthn.continue': 'Continue with your security key',
  'webauthn.passkeySignIn': 'Sign in with a passkey',
  'webauthn.error.cancelled': 'The request was cancelled or timed out. Try again.',
  'webauthn.error.alreadyRegistered': 'This authenticator is already registered.',
  'webauthn.error.insecure': 'This page cannot use passkeys here (check the site address).',
  'webauthn.error.other': 'Your browser could not use the authenticator.',
} as const;
