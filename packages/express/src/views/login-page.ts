import type { Translate } from '@otpkit/core';
import type { OtpFormError } from '../forms/form-errors.js';
import { errorSummary, hiddenFields, tokenInput } from './form-parts.js';
import { passkeyForm } from './browser-ceremony.js';
import { html } from './html.js';
import { layout } from './layout.js';

/** What the login page shows. The password is never part of it. */
export interface LoginPageModel {
  readonly action: string;
  readonly csrfToken: string;
  readonly next: string;
  readonly username?: string | undefined;
  readonly errors: readonly OtpFormError[];
  /** The request's locale (`req.otp.locale`): the page's `<html lang>`. */
  readonly locale: string;
  /** The request's messages (`req.otp.t`). */
  readonly t: Translate;
  /**
   * One-page login: also ask for the token, from the first view on. The field is the same for every
   * user (no device names, no device choice, no "send me a code"), so the page never depends on the
   * password being right.
   */
  readonly askToken?: boolean;
  /** Passkey sign-in: where the answer posts and the challenge's request options; the username field offers passkeys in its autofill. */
  readonly passkey?: { readonly action: string; readonly request: object; readonly script: string; readonly autofill: boolean } | undefined;
  /** The sign-up page, when new users may create an account there. */
  readonly signUpHref?: string | undefined;
}

/** The login page: username and password (and, on one page, the token). */
export function loginPage(model: LoginPageModel): string {
  const { t } = model;
  const invalid = (field: string) => model.errors.some((e) => e.field === field || e.code === 'invalid_login' || e.code === 'invalid_credentials');
  const aria = (field: string) => (invalid(field) ? html` aria-invalid="true" aria-describedby="form-errors"` : html``);
  return layout(
    model.locale,
    t('signinPages.login.title'),
    html`${errorSummary(model.errors)}
<form method="post" action="${model.action}" novalidate>
${hiddenFields(model.csrfToken, model.next)}
<label for="username">${t('signinPages.login.username')}</label>
<input type="text" id="username" name="username" autocomplete="${model.passkey ? 'username webauthn' : 'username'}" autocapitalize="off" spellcheck="false" required value="${model.username ?? ''}"${aria('username')}>
<label for="password">${t('signinPages.login.password')}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required${aria('password')}>
${model.askToken === true ? tokenInput(t('signinPages.token.label'), t('signinPages.login.tokenHint'), invalid('otp_token')) : html``}
<button type="submit">${t('signinPages.login.submit')}</button>
</form>
${model.signUpHref === undefined ? html`` : html`<p><a href="${model.signUpHref}">${t('signUp.offer')}</a></p>`}
${model.passkey ? passkeyForm(model.passkey.request, { action: model.passkey.action, csrfToken: model.csrfToken, next: model.next, t }, model.passkey.autofill) : html``}`,
    model.passkey ? [model.passkey.script] : [],
  );
}
