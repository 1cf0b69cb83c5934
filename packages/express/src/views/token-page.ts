import type { Translate } from '@otpkit/core';
import type { OtpFormError } from '../forms/form-errors.js';
import type { BrowserChallenge } from '../forms/clean-otp.js';
import { chosenMethod, type SignInMethod } from '../internal/sign-in-methods.js';
import { errorSummary, hiddenFields } from './form-parts.js';
import { html } from './html.js';
import { layout } from './layout.js';
import { methodForm } from './method-form.js';
import { methodList } from './method-list.js';

/** What the token page shows. */
export interface TokenPageModel {
  readonly action: string;
  readonly logoutAction: string;
  readonly csrfToken: string;
  readonly next: string;
  /** The request's messages (`req.otp.t`). */
  readonly t: Translate;
  /** The user's methods, the default first (the preferred device, else by kind). */
  readonly methods: readonly SignInMethod[];
  /** The method asked for (a persistent id from the query or the form); one that is not among `methods` shows the default. */
  readonly selected?: string | undefined;
  /** Show the list of every method ("Use another method") instead of a form. */
  readonly choosing?: boolean;
  readonly errors: readonly OtpFormError[];
  /** Offer "remember this browser". */
  readonly canRemember: boolean;
  /** Days a remembered browser skips the second factor. */
  readonly rememberDays: number;
  /** A challenge issued for a device answered in the browser (a security key), for the page to run. */
  readonly browserChallenge?: BrowserChallenge | undefined;
  /** The browser scripts of the plugins whose devices the page offers. */
  readonly scripts?: readonly string[];
}

/**
 * The token page of an authenticated user (Flask-Security's tf-select on django-otp's
 * `OTPTokenForm`): the form of one method (the one asked for, else the preferred device, else the
 * default by kind) with ways to switch ("use a backup code instead", "send me a code instead",
 * "use another method"), or the list of every method.
 */
export function tokenPage(model: TokenPageModel): string {
  const { t, methods } = model;
  const current = chosenMethod(methods, model.selected);
  const choosing = model.choosing === true && current !== undefined;
  const body =
    current === undefined
      ? html`<p>${t('signinPages.token.noDevice')}</p>`
      : choosing
        ? methodList(model.action, model.next, methods, t)
        : html`${errorSummary(model.errors)}
${methodForm({ ...model, current, rememberDays: model.canRemember ? model.rememberDays : null })}`;
  return layout(
    t(choosing ? 'signinPages.choose.title' : 'signinPages.token.title'),
    html`${body}
<form method="post" action="${model.logoutAction}">
${hiddenFields(model.csrfToken, '')}
${model.canRemember ? html`<label class="check"><input type="checkbox" name="forget" value="1"> ${t('signinPages.token.forget')}</label>` : html``}
<button type="submit" class="secondary">${t('signinPages.token.signOut')}</button>
</form>`,
    model.scripts ?? [],
  );
}
