import { admin } from './admin.js';
import { codes } from './codes.js';
import { enrolment } from './enrolment.js';
import { errors } from './errors.js';
import { forms } from './forms.js';
import { notices } from './notices.js';
import { pages } from './pages.js';
import { rescue } from './rescue.js';
import { signUp } from './sign-up.js';
import { signinPages } from './signin-pages.js';
import { views } from './views.js';
import { webauthn } from './webauthn.js';

/**
 * The English catalog: every string a user or an administrator sees (pages, JSON messages, mails,
 * text messages). The keys of this object are the catalog's keys; every other locale has them all.
 */
export const english = Object.freeze({
  ...errors,
  ...views,
  ...admin,
  ...codes,
  ...enrolment,
  ...forms,
  ...notices,
  ...pages,
  ...rescue,
  ...signUp,
  ...signinPages,
  ...webauthn,
});
