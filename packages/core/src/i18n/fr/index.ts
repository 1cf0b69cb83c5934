import { codes } from './codes.js';
import { errors } from './errors.js';
import { forms } from './forms.js';
import { pages } from './pages.js';
import { rescue } from './rescue.js';
import { views } from './views.js';
import { webauthn } from './webauthn.js';

/** The French catalog: the same keys as the English one. One area per line. */
export const french = Object.freeze({
  ...codes,
  ...errors,
  ...forms,
  ...pages,
  ...rescue,
  ...views,
  ...webauthn,
});
