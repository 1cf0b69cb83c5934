import type { pages as english } from '../en/pages.js';
import type { AreaMessages } from '../message-value.js';

/** Les pages de refus et des liens de connexion. */
export const pages: AreaMessages<typeof english> = {
  'page.notFound.title': 'Page introuvable',
  'page.formExpired.title': 'Formulaire expiré',
  'page.tooLarge.title': 'Envoi trop volumineux',
  'page.badRequest.title': 'Requête invalide',
  'page.unavailable.title': 'Momentanément indisponible',
  'page.unavailable.retry': 'Réessayer',
  'page.linkExpired.title': 'Lien expiré',
  'page.backToSite': 'Retour au site',
  'page.linkConfirm.title': 'Se connecter sur ce navigateur ?',
  'page.linkConfirm.elsewhere': 'Ce lien de connexion a été demandé depuis un autre navigateur ou un autre appareil.',
  'page.linkConfirm.warning': 'Ne continuez que si vous l’avez demandé vous-même, à l’instant. Un lien envoyé par quelqu’un d’autre vous connecterait à son compte.',
  'page.linkConfirm.submit': 'Me connecter sur ce navigateur',
};
