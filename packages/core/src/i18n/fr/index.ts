import { errors } from './errors.js';
import { signinPages } from './signin-pages.js';
import { views } from './views.js';

/** The French catalog: the same keys as the English one. */
export const french = Object.freeze({ ...errors, ...views, ...signinPages });
