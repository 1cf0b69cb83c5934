import { hiddenFields } from './form-parts.js';
import { html } from './html.js';
import { layout } from './layout.js';

/** What the page asking to confirm a magic link shows. */
export interface LinkConfirmPageModel {
  /** Where the form posts: the link's own path. */
  readonly action: string;
  readonly csrfToken: string;
  readonly next: string;
}

/**
 * The page a magic link shows in a browser other than the one that asked for it (a forwarded
 * link, a link opened on another device, a link someone else sent): it signs in only when the
 * user confirms, by a POST with the form's CSRF token.
 */
export function linkConfirmPage({ action, csrfToken, next }: LinkConfirmPageModel): string {
  return layout(
    'Sign in on this browser?',
    html`<p>This sign-in link was asked for on another browser or device.</p>
<p>Continue only if you asked for it yourself, just now. A link someone sent you would sign you in to their account.</p>
<form method="post" action="${action}">
${hiddenFields(csrfToken, next)}
<button type="submit" name="confirm" value="1">Sign in on this browser</button>
</form>`,
  );
}
