import type { Translate, Translator } from '@otpkit/core';
import type { OtpFormError } from '../forms/form-errors.js';
import { webauthnErrorSlot } from './browser-ceremony.js';
import { errorSummary, hiddenFields } from './form-parts.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

/**
 * How the enrol page sets a device up: an authenticator app shows a QR code and a key, then takes
 * its first code; a device answered in the browser (a security key, a passkey) runs the browser's
 * registration ceremony with its plugin's script.
 */
export type SetupKind = 'app' | 'browser';

/** A method the enrol page offers: a device type and how it is set up. */
export interface EnrolMethod {
  readonly type: string;
  readonly kind: SetupKind;
}

/** What every enrolment page has: the request's messages (`req.otp`), and what its forms carry. */
export interface EnrolPageBase {
  readonly text: Translator;
  readonly csrfToken: string;
  readonly next: string;
}

/** Why the user is asked to enrol: the policy requires it now, within a grace period, or not at all. */
export type EnrolReason = { readonly kind: 'required' } | { readonly kind: 'grace'; readonly daysLeft: number } | { readonly kind: 'optional' };

/** What the page to choose a method shows. */
export interface EnrolChoiceModel extends EnrolPageBase {
  readonly action: string;
  readonly logoutAction: string;
  readonly methods: readonly EnrolMethod[];
  readonly reason: EnrolReason;
  /** The browser scripts of the plugins whose methods need one (shown only where the browser can). */
  readonly scripts: readonly string[];
  readonly errors: readonly OtpFormError[];
  /** A problem to show above the methods (an enrolment no longer in progress; no way to verify a change, with no methods). */
  readonly notice?: string | undefined;
}

const METHOD_LABELS = {
  app: { label: 'enrol.method.app', hint: 'enrol.method.app.hint' },
  browser: { label: 'enrol.method.securityKey', hint: 'enrol.method.securityKey.hint' },
} as const;

function reasonText(t: Translate, reason: EnrolReason): string {
  if (reason.kind === 'required') return t('enrol.required');
  if (reason.kind === 'grace') return t('enrol.grace', { count: reason.daysLeft });
  return t('enrol.optional');
}

/** The sign-out form every enrol page ends with: nobody is stuck on it. */
function signOutForm(model: EnrolPageBase & { readonly logoutAction: string }): SafeHtml {
  return html`<form method="post" action="${model.logoutAction}">
${hiddenFields(model.csrfToken, '')}
<button type="submit" class="secondary">${model.text.t('enrol.signOut')}</button>
</form>`;
}

/**
 * The enrol page: why (required now, days left, or the user's choice), a radio per method (those
 * answered in the browser shown only where its script finds the browser able), "Remind me later"
 * within a grace period, and sign-out.
 */
export function enrolChoicePage(model: EnrolChoiceModel): string {
  const { t } = model.text;
  const checked = model.methods.find((method) => method.kind !== 'browser') ?? model.methods[0];
  const radios = model.methods.map((method) => {
    const text = METHOD_LABELS[method.kind];
    const id = `method-${method.type}`;
    return html`<div${method.kind === 'browser' ? html` data-otpkit-webauthn-only hidden` : html``}>
<label class="check" for="${id}"><input type="radio" id="${id}" name="method" value="${method.type}" aria-describedby="${id}-hint"${method === checked ? html` checked` : html``}> ${t(text.label)}</label>
<p class="hint" id="${id}-hint">${t(text.hint)}</p>
</div>`;
  });
  const notice = model.notice ?? (model.methods.length === 0 ? t('enrol.noMethod') : undefined);
  const choice =
    model.methods.length === 0
      ? html``
      : html`<form method="post" action="${model.action}">
${hiddenFields(model.csrfToken, model.next)}
<fieldset>
<legend>${t('enrol.chooseMethod')}</legend>
${radios}
</fieldset>
<button type="submit">${t('enrol.continue')}</button>
</form>`;
  const later = model.reason.kind === 'grace' ? html`<p><a href="${model.next}">${t('enrol.remindLater')}</a></p>` : html``;
  return layout(
    model.text.locale,
    t('enrol.title'),
    html`${errorSummary(model.errors)}
<p${model.reason.kind === 'required' ? html` role="alert"` : html``}>${reasonText(t, model.reason)}</p>
${notice === undefined ? html`` : html`<p role="alert">${notice}</p>`}
${choice}
${later}
${signOutForm(model)}`,
    model.scripts,
  );
}

/** What the authenticator app's set-up page shows. */
export interface AppSetupModel extends EnrolPageBase {
  readonly confirmAction: string;
  /** The page to choose a method again. */
  readonly choiceHref: string;
  readonly logoutAction: string;
  /** The device being set up (persistent id). */
  readonly device: string;
  /** The Key-URI as a `data:image/png` QR code and the key, shown once: absent when the code is asked again. */
  readonly shown?: { readonly qrPng: string | null; readonly key: string | null } | undefined;
  readonly errors: readonly OtpFormError[];
}

/** The link back to the choice of a method, to start again (a new key, another method). */
function startOver(model: EnrolPageBase & { readonly choiceHref: string }): SafeHtml {
  return html`<p><a href="${model.choiceHref}">${model.text.t('enrol.startOver')}</a></p>`;
}

/**
 * The authenticator app's set-up: the QR code (a `data:` PNG, which the page's CSP allows) and the
 * key as text, once; then the field for the first code. After a wrong code only the field is shown
 * again, with "Start over" (back to the choice, then a new key): the key is never shown twice.
 */
export function appSetupPage(model: AppSetupModel): string {
  const { t } = model.text;
  const invalid = model.errors.length > 0;
  const shown = model.shown;
  const instructions =
    shown === undefined
      ? html`<p>${t('enrol.app.retry')}</p>`
      : html`<p>${t('enrol.app.scan')}</p>
${shown.qrPng === null ? html`` : html`<p><img src="${shown.qrPng}" alt="${t('enrol.app.qrAlt')}" width="200"></p>`}
${shown.key === null ? html`` : html`<p>${t('enrol.app.key')}: <code id="otp_key">${shown.key}</code></p>`}`;
  return layout(
    model.text.locale,
    t('enrol.app.title'),
    html`${errorSummary(model.errors)}
${instructions}
<form method="post" action="${model.confirmAction}">
${hiddenFields(model.csrfToken, model.next)}
<input type="hidden" name="device" value="${model.device}">
<label for="otp_token">${t('enrol.app.code')}</label>
<input type="text" id="otp_token" name="otp_token" inputmode="numeric" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" maxlength="128" required${invalid ? html` aria-invalid="true" aria-describedby="form-errors"` : html``}>
<button type="submit">${t('enrol.confirm')}</button>
</form>
${startOver(model)}
${signOutForm(model)}`,
  );
}

/** What the security key's set-up page shows. */
export interface KeySetupModel extends EnrolPageBase {
  readonly confirmAction: string;
  /** The page to choose a method again. */
  readonly choiceHref: string;
  readonly logoutAction: string;
  readonly device: string;
  /** The registration options (`navigator.credentials.create`'s `publicKey`). */
  readonly publicKey: object;
  readonly script: string;
}

/**
 * A security key's or passkey's set-up: the plugin's browser script runs the registration with
 * `publicKey`, puts the answer in `otp_credential` and submits; without the script the page says
 * to choose another method.
 */
export function keySetupPage(model: KeySetupModel): string {
  const { t } = model.text;
  return layout(
    model.text.locale,
    t('enrol.key.title'),
    html`<p>${t('enrol.key.intro')}</p>
<noscript><p role="alert">${t('enrol.key.noScript')}</p></noscript>
<form method="post" action="${model.confirmAction}" data-otpkit-webauthn="create" data-otpkit-field="otp_credential" data-otpkit-options="${JSON.stringify(model.publicKey)}" data-otpkit-webauthn-only hidden>
${hiddenFields(model.csrfToken, model.next)}
<input type="hidden" name="device" value="${model.device}">
<input type="hidden" name="otp_credential" value="">
${webauthnErrorSlot(t)}
<button type="submit">${t('enrol.key.create')}</button>
</form>
${startOver(model)}
${signOutForm(model)}`,
    [model.script],
  );
}
