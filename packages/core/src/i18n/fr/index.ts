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

/** The French catalog: the same keys as the English one. */
export const french = Object.freeze({
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
