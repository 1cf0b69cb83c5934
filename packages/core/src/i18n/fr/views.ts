import type { views as english } from '../en/views.js';
import type { AreaMessages } from '../message-value.js';

/** Les pages de connexion. */
export const views: AreaMessages<typeof english> = {
  'views.backToSignIn': 'Retour à la connexion',
};
