import { admin } from './admin.js';
import { enrolment } from './enrolment.js';
import { errors } from './errors.js';
import { notices } from './notices.js';
import { signinPages } from './signin-pages.js';
import { views } from './views.js';

/** The French catalog: the same keys as the English one. */
export const french = Object.freeze({
  ...errors,
  ...views,
  ...admin,
  ...enrolment,
  ...notices,
  ...signinPages,
});
