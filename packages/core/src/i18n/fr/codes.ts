import type { codes as english } from '../en/codes.js';
import type { AreaMessages } from '../message-value.js';

/** Les messages qui portent un code ou un lien, et ce que l’utilisateur lit une fois l’envoi fait. */
export const codes: AreaMessages<typeof english> = {
  'email.sent': 'envoyé par e-mail',
  'email.code.subject': 'Votre code de vérification',
  'email.code.text': 'Votre code de vérification est {token}. Il expire dans {validMinutes} minutes.',
  'email.code.html': '<p>Votre code de vérification est <strong>{token}</strong>.</p><p>Il expire dans {validMinutes} minutes.</p>',
  'sms.sent': 'envoyé par SMS',
  'sms.code.text': 'Votre code de vérification est {token}',
  'signin.link.subject': 'Votre lien de connexion',
  'signin.link.text':
    'Connectez-vous en ouvrant ce lien : {link}\n\nIl expire dans {validMinutes} minutes et ne sert qu’une fois. Si vous ne l’avez pas demandé, ignorez ce message.',
  'signin.link.html':
    '<p><a href="{link}">Se connecter</a></p><p>Le lien expire dans {validMinutes} minutes et ne sert qu’une fois. Si vous ne l’avez pas demandé, ignorez ce message.</p>',
};
