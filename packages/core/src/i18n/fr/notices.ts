import type { notices as english } from '../en/notices.js';
import type { AreaMessages } from '../message-value.js';

/** Les avis de compte envoyés par e-mail (`accountNotices` de `@otpkit/email`). */
export const notices: AreaMessages<typeof english> = {
  'notices.deviceAdded.subject': 'Une méthode de connexion a été ajoutée à votre compte',
  'notices.deviceAdded.text':
    'Une méthode de connexion a été ajoutée à votre compte le {at} : {method}.\n\nSi ce n’était pas vous, changez votre mot de passe et vérifiez les méthodes de connexion de votre compte.',
  'notices.deviceRemoved.subject': 'Une méthode de connexion a été retirée de votre compte',
  'notices.deviceRemoved.text':
    'Une méthode de connexion a été retirée de votre compte le {at} : {method}.\n\nSi ce n’était pas vous, changez votre mot de passe et vérifiez les méthodes de connexion de votre compte.',
  'notices.backupCodesRegenerated.subject': 'De nouveaux codes de secours ont été créés pour votre compte',
  'notices.backupCodesRegenerated.text':
    'De nouveaux codes de secours ont été créés pour votre compte le {at} ; les précédents ne fonctionnent plus.\n\nSi ce n’était pas vous, changez votre mot de passe et créez de nouveaux codes de secours.',
  'notices.backupCodesLow.subject': 'Il vous reste peu de codes de secours',
  'notices.backupCodesLow.text': {
    one: 'Un code de secours a servi à vous connecter à votre compte le {at}. Il vous reste {count} code de secours : créez-en de nouveaux avant d’en manquer.\n\nSi ce n’était pas vous, changez votre mot de passe et créez de nouveaux codes de secours.',
    other:
      'Un code de secours a servi à vous connecter à votre compte le {at}. Il vous reste {count} codes de secours : créez-en de nouveaux avant d’en manquer.\n\nSi ce n’était pas vous, changez votre mot de passe et créez de nouveaux codes de secours.',
  },
  'notices.throttled.subject': 'Les tentatives de connexion à votre compte ont été suspendues',
  'notices.throttled.text':
    'Trop de codes erronés ont été saisis pour votre compte : les tentatives de connexion ont été suspendues le {at}.\n\nSi ce n’était pas vous, quelqu’un connaît peut-être votre mot de passe : changez-le.',
  'notices.rescueUsed.subject': 'La récupération de compte a été utilisée pour votre compte',
  'notices.rescueUsed.email.text':
    'Quelqu’un s’est connecté à votre compte le {at} avec un code envoyé à votre adresse de récupération, sans méthode de connexion.\n\nSi ce n’était pas vous, changez votre mot de passe et vérifiez les méthodes de connexion de votre compte.',
  'notices.rescueUsed.help.text':
    'Quelqu’un a demandé l’aide des administrateurs pour se connecter à votre compte le {at}.\n\nSi ce n’était pas vous, prévenez votre administrateur.',
  'notices.adminAction.subject': 'Un administrateur a modifié votre compte',
  'notices.adminAction.text':
    'Un administrateur a apporté une modification à votre compte le {at} : {action}.\n\nSi vous ne vous y attendiez pas, contactez votre administrateur.',
  'notices.action.deviceAdded': 'une méthode de connexion a été ajoutée ({method})',
  'notices.action.deviceRemoved': 'une méthode de connexion a été retirée ({method})',
  'notices.action.backupCodesRegenerated': 'de nouveaux codes de secours ont été créés',
  'notices.action.backupCodeAdded': 'un code de secours à usage unique a été délivré',
  'notices.action.browsersRevoked': 'les navigateurs qui se passaient du code le demanderont de nouveau',
  'notices.action.passwordChanged': 'le mot de passe a été changé',
  'notices.action.throttleReset': 'les tentatives de connexion suspendues sont de nouveau permises',
  'notices.action.tokenSessionsRevoked': 'les applications connectées ont été déconnectées',
  'notices.action.preferredDeviceChanged': 'la méthode de connexion proposée en premier a été changée',
  'notices.action.other': 'les réglages de connexion ont été modifiés',
  'notices.method.totp': 'application d’authentification',
  'notices.method.hotp': 'jeton matériel',
  'notices.method.static': 'codes de secours',
  'notices.method.email': 'codes par e-mail',
  'notices.method.sms': 'codes par SMS',
  'notices.method.webauthn': 'clé de sécurité ou clé d’accès',
  'notices.method.other': 'autre méthode de connexion',
};
