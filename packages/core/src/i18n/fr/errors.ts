import type { errors as english } from '../en/errors.js';
import type { AreaMessages } from '../message-value.js';

/** Messages d'erreur de l'API JSON. */
export const errors: AreaMessages<typeof english> = {
  'error.enrolment_required': 'Votre compte exige la validation en deux étapes : configurez d’abord un second facteur',
  'error.not_found': 'Introuvable',
};
