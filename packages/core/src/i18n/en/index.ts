import { admin } from './admin.js';
import { enrolment } from './enrolment.js';
import { errors } from './errors.js';
import { notices } from './notices.js';
import { signinPages } from './signin-pages.js';
import { views } from './views.js';

/**
 * The English catalog: every string a user or an administrator sees (pages, JSON messages, mails,
 * text messages). The keys of this object are the catalog's keys; every other locale has them all.
 */
export const english = Object.freeze({
  ...errors,
  ...views,
  ...admin,
  ...enrolment,
  ...notices,
  ...signinPages,
});
