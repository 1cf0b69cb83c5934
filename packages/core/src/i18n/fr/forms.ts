import type { forms as english } from '../en/forms.js';
import type { AreaMessages } from '../message-value.js';

/** Les erreurs des formulaires de code. */
export const forms: AreaMessages<typeof english> = {
  'form.token_required': 'Veuillez saisir votre code à usage unique.',
  'form.invalid_token': 'Code incorrect. Vérifiez que vous l’avez saisi correctement.',
  'form.malformed_token': 'Ce n’est pas un code. Saisissez les lettres et les chiffres du code, tels qu’ils vous ont été donnés.',
  'form.challenge_exception': 'Le code n’a pas pu être envoyé. Réessayez plus tard, ou utilisez un autre appareil.',
  'form.not_interactive': 'L’appareil choisi n’envoie pas de code',
  'form.challenge_message': 'Code de vérification : {message}',
  'form.n_failed_attempts': 'Vérification suspendue après {failureCount} tentative(s) échouée(s) ; réessayez dans {retryAfter} seconde(s).',
  'form.cooldown': 'Un code vient d’être envoyé ; vous pourrez en demander un autre dans {retryAfter} seconde(s).',
  'form.daily_limit': 'Trop de codes ont été envoyés aujourd’hui ; vous pourrez en demander un autre dans {retryAfter} seconde(s), ou utilisez un autre appareil.',
  'form.suspected_clone': 'Cette clé de sécurité a peut-être été copiée : elle a donc été refusée. Utilisez un autre appareil et prévenez le responsable du site.',
  'form.invalid_login': 'Saisissez un nom d’utilisateur et un mot de passe corrects.',
  'form.invalid_credentials': 'Saisissez un nom d’utilisateur, un mot de passe et un code de vérification corrects. Après plusieurs tentatives échouées, la connexion est suspendue un moment.',
  'form.passkey_refused': 'Cette clé d’accès n’a pas permis de vous connecter. Réessayez, ou connectez-vous avec votre mot de passe.',
  'form.field_required': 'Ce champ est obligatoire.',
};
