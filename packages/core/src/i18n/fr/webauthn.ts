import type { webauthn as english } from '../en/webauthn.js';
import type { AreaMessages } from '../message-value.js';

/** Les clés de sécurité et clés d’accès dans les pages, et les erreurs du script du navigateur. */
export const webauthn: AreaMessages<typeof english> = {
  'webauthn.challenge': 'Utilisez votre clé de sécurité ou votre clé d’accès',
  'webauthn.useDevice': 'Utiliser {device}',
  'webauthn.continue': 'Continuer avec votre clé de sécurité',
  'webauthn.passkeySignIn': 'Se connecter avec une clé d’accès',
  'webauthn.error.cancelled': 'La demande a été annulée ou a expiré. Réessayez.',
  'webauthn.error.alreadyRegistered': 'Cet authentificateur est déjà enregistré.',
  'webauthn.error.insecure': 'Cette page ne peut pas utiliser de clés d’accès ici (vérifiez l’adresse du site).',
  'webauthn.error.other': 'Votre navigateur n’a pas pu utiliser l’authentificateur.',
};
