import type { Translator } from '@otpkit/core';
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
 * user confirms, by a POST with the form's CSRF token. In the translator's locale.
 */
export function linkConfirmPage({ locale, t }: Translator, { action, csrfToken, next }: LinkConfirmPageModel): string {
  return layout(
    locale,
    t('page.linkConfirm.title'),
    html`<p>${t('page.linkConfirm.elsewhere')}</p>
<p>${t('page.linkConfirm.warning')}</p>
<form method="post" action="${action}">
${hiddenFields(csrfToken, next)}
<button type="submit" name="confirm" value="1">${t('page.linkConfirm.submit')}</button>
</form>`,
  );
}
