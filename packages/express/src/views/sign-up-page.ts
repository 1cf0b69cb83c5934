import type { Translate } from '@otpkit/core';
import type { OtpFormError } from '../forms/form-errors.js';
import { errorSummary, hiddenFields } from './form-parts.js';
import { html } from './html.js';
import { layout } from './layout.js';

/** What the sign-up page shows. The password is never part of it. */
export interface SignUpPageModel {
  readonly action: string;
  readonly csrfToken: string;
  readonly next: string;
  readonly username?: string | undefined;
  readonly errors: readonly OtpFormError[];
  /** The shortest password accepted. */
  readonly minPasswordLength: number;
  /** The login page, for those who have an account. */
  readonly loginHref: string;
  readonly locale: string;
  readonly t: Translate;
}

/** The sign-up page: a username and a new password; the second factor is set up right after. */
export function signUpPage(model: SignUpPageModel): string {
  const { t } = model;
  const aria = (field: OtpFormError['field']) => (model.errors.some((e) => e.field === field) ? html` aria-invalid="true" aria-describedby="form-errors"` : html``);
  return layout(
    model.locale,
    t('signUp.title'),
    html`${errorSummary(model.errors)}
<form method="post" action="${model.action}" novalidate>
${hiddenFields(model.csrfToken, model.next)}
<label for="username">${t('signUp.username')}</label>
<input type="text" id="username" name="username" autocomplete="username" autocapitalize="off" spellcheck="false" required maxlength="150" value="${model.username ?? ''}"${aria('username')}>
<label for="password">${t('signUp.password')}</label>
<input type="password" id="password" name="password" autocomplete="new-password" required minlength="${String(model.minPasswordLength)}" aria-describedby="password_hint"${aria('password')}>
<p class="hint" id="password_hint">${t('signUp.passwordHint', { min: model.minPasswordLength })}</p>
<button type="submit">${t('signUp.submit')}</button>
</form>
<p><a href="${model.loginHref}">${t('signUp.haveAccount')}</a></p>`,
  );
}
