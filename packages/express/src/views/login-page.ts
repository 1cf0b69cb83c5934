import type { Translate } from '@otpkit/core';
import type { OtpFormError } from '../forms/form-errors.js';
import type { SignInMethod } from '../internal/sign-in-methods.js';
import { challengeButton, errorSummary, hiddenFields, tokenFields } from './form-parts.js';
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
  /** The request's messages (`req.otp.t`). */
  readonly t: Translate;
  /** One-page login: also ask for the token (the user's methods, known once the password was right). */
  readonly tokenStep?: { readonly methods: readonly SignInMethod[]; readonly selected: string | undefined } | undefined;
  /** Passkey sign-in: where the answer posts and the challenge's request options; the username field offers passkeys in its autofill. */
  readonly passkey?: { readonly action: string; readonly request: object; readonly script: string; readonly autofill: boolean } | undefined;
}

/** The login page: username and password (and, on one page, the token). */
export function loginPage(model: LoginPageModel): string {
  const { t } = model;
  // Security keys are not typed in: the one-page form asks for codes only.
  const step = model.tokenStep && { selected: model.tokenStep.selected, methods: model.tokenStep.methods.filter((method) => !method.browser) };
  const invalid = (field: string) => model.errors.some((e) => e.field === field || e.code === 'invalid_login');
  const aria = (field: string) => (invalid(field) ? html` aria-invalid="true" aria-describedby="form-errors"` : html``);
  return layout(
    t('signinPages.login.title'),
    html`${errorSummary(model.errors)}
<form method="post" action="${model.action}" novalidate>
${hiddenFields(model.csrfToken, model.next)}
<label for="username">${t('signinPages.login.username')}</label>
<input type="text" id="username" name="username" autocomplete="${model.passkey ? 'username webauthn' : 'username'}" autocapitalize="off" spellcheck="false" required value="${model.username ?? ''}"${aria('username')}>
<label for="password">${t('signinPages.login.password')}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required${aria('password')}>
${step ? tokenFields(step.methods, step.selected, invalid('otp_token'), t) : html``}
<button type="submit">${t('signinPages.login.submit')}</button>
${step ? challengeButton(step.methods, t) : html``}
</form>
${model.passkey ? passkeyForm(model.passkey.request, { action: model.passkey.action, csrfToken: model.csrfToken, next: model.next }, model.passkey.autofill) : html``}`,
    model.passkey ? [model.passkey.script] : [],
  );
}
