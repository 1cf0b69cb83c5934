import type { Translate } from '@otpkit/core';
import type { SignInMethod } from '../internal/sign-in-methods.js';
import { html, type SafeHtml } from './html.js';
import { methodLabel } from './method-label.js';
import { methodHref } from './method-links.js';

/**
 * "Use another method": every method of the user as a link to its form, the preferred one first
 * and marked, then by kind (authenticator apps, security keys, text messages, emails, backup codes).
 */
export function methodList(action: string, next: string, methods: readonly SignInMethod[], t: Translate): SafeHtml {
  return html`<p>${t('signinPages.choose.intro')}</p>
<ul class="methods">
${methods.map(
  (method) => html`<li><a href="${methodHref(action, next, method.id)}">${methodLabel(method, t)}</a>${method.preferred ? html` <span class="hint">${t('signinPages.choose.preferred')}</span>` : html``}</li>`,
)}
</ul>`;
}
