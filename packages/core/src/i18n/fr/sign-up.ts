import type { signUp as english } from '../en/sign-up.js';
import type { AreaMessages } from '../message-value.js';

/** La page d'inscription des pages de connexion. */
export const signUp: AreaMessages<typeof english> = {
  'signUp.title': 'Créer un compte',
  'signUp.username': 'Nom d’utilisateur',
  'signUp.password': 'Mot de passe',
  'signUp.passwordHint': 'Au moins {min} caractères.',
  'signUp.submit': 'Créer le compte',
  'signUp.haveAccount': 'Vous avez déjà un compte ? Connectez-vous',
  'signUp.offer': 'Nouveau ici ? Créez un compte',
  'form.username_taken': 'Ce nom d’utilisateur est déjà pris ; choisissez-en un autre.',
  'form.username_invalid': 'Ce nom d’utilisateur ne peut pas être utilisé ; choisissez-en un autre.',
  'form.password_too_short': 'Le mot de passe doit compter au moins {min} caractères.',
};
