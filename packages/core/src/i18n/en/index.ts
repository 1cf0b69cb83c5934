import { codes } from './codes.js';
import { errors } from './errors.js';
import { forms } from './forms.js';
import { pages } from './pages.js';
import { rescue } from './rescue.js';
import { views } from './views.js';
import { webauthn } from './webauthn.js';

/**
 * The English catalog: every string a user or an administrator sees (pages, JSON messages, mails,
 * text messages). The keys of this object are the catalog's keys; every other locale has them all.
 * One area per line.
 */
export const english = Object.freeze({
  ...codes,
  ...errors,
  ...forms,
  ...pages,
  ...rescue,
  ...views,
  ...webauthn,
});
