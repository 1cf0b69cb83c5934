import type { Translate } from '@otpkit/core';
import type { SignInMethod } from '../internal/sign-in-methods.js';

/**
 * How a method is named to its user, in their language: "Authenticator app (Phone)", "Text
 * message to •••23", "Email to a•••@example.com", "Security key or passkey (YubiKey)", "Backup
 * codes", or a third-party device's name. Never a whole phone number or address, never a secret.
 */
export function methodLabel(method: Pick<SignInMethod, 'kind' | 'name' | 'destination'>, t: Translate): string {
  const { name, destination } = method;
  switch (method.kind) {
    case 'app':
      return t('signinPages.method.app', { name });
    case 'key':
      return t('signinPages.method.key', { name });
    case 'text':
      return destination === null ? t('signinPages.method.textNamed', { name }) : t('signinPages.method.text', { destination });
    case 'email':
      return destination === null ? t('signinPages.method.emailNamed', { name }) : t('signinPages.method.email', { destination });
    case 'backup':
      return t('signinPages.method.backup');
    case 'other':
      return name;
  }
}
