import type { rescue as english } from '../en/rescue.js';
import type { AreaMessages } from '../message-value.js';

/** La récupération du compte par l’API JSON. */
export const rescue: AreaMessages<typeof english> = {
  'rescue.notice.subject': 'La récupération de votre compte a été utilisée',
  'rescue.notice.text':
    'Un code de récupération envoyé à cette adresse vient de servir à vous connecter à votre compte sans son second facteur habituel. Si ce n’était pas vous, changez votre mot de passe et vérifiez dès maintenant vos appareils de double authentification.',
  'rescue.helpSent': 'Les administrateurs du site ont été prévenus ; ils vous contacteront',
};
