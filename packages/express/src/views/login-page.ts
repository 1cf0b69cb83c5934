import type { Translate } from '@otpkit/core';
import type { OtpFormError } from '../forms/form-errors.js';
import { challengeButton, errorSummary, hiddenFields, tokenFields, type DeviceChoice } from './form-parts.js';
import { passkeyForm } from './browser-ceremony.js';
import { html } from './html.js';
import { layout } from './layout.js';

/** What the login page shows. The password is never part of it. */
export interface LoginPageModel {
  /** The request's locale (`req.otp.locale`): the page's `<html lang>`. */
  readonly locale: string;
  /** The request's messages (`req.otp.t`). */
  readonly t: Translate;
  readonly action: string;
  readonly csrfToken: string;
  readonly next: string;
  readonly username?: string | undefined;
  readonly errors: readonly OtpFormError[];
  /** One-page login: also ask for the token (devices known once the password was right). */
  readonly tokenStep?: { readonly devices: readonly DeviceChoice[]; readonly selected: string | undefined } | undefined;
  /** Passkey sign-in: where the answer posts and the challenge's request options; the username field offers passkeys in its autofill. */
  readonly passkey?: { readonly action: string; readonly request: object; readonly script: string; readonly autofill: boolean } | undefined;
}

/** The login page: username and password (and, on one page, the token). */
export function loginPage(model: LoginPageModel): string {
  const invalid = (field: string) => model.errors.some((e) => e.field === field || e.code === 'invalid_login');
  const aria = (field: string) => (invalid(field) ? html` aria-invalid="true" aria-describedby="form-errors"` : html``);
  return layout(
    model.locale,
    'Sign in',
    html`${errorSummary(model.errors)}
<form method="post" action="${model.action}" novalidate>
${hiddenFields(model.csrfToken, model.next)}
<label for="username">Username</label>
<input type="text" id="username" name="username" autocomplete="${model.passkey ? 'username webauthn' : 'username'}" autocapitalize="off" spellcheck="false" required value="${model.username ?? ''}"${aria('username')}>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required${aria('password')}>
${model.tokenStep ? tokenFields(model.tokenStep.devices.filter((device) => !device.browser), model.tokenStep.selected, invalid('otp_token')) : html``}
<button type="submit">Sign in</button>
${model.tokenStep ? challengeButton(model.tokenStep.devices.filter((device) => !device.browser)) : html``}
</form>
${model.passkey ? passkeyForm(model.passkey.request, { action: model.passkey.action, csrfToken: model.csrfToken, next: model.next, t: model.t }, model.passkey.autofill) : html``}`,
    model.passkey ? [model.passkey.script] : [],
  );
}
