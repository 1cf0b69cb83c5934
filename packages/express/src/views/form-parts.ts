import type { OtpFormError } from '../forms/form-errors.js';
import { html, joinHtml, type SafeHtml } from './html.js';

/** A device the user may choose in a form. */
export interface DeviceChoice {
  /** The persistent id. */
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly interactive: boolean;
  /** Answered in the page by its plugin's browser script (a security key, a passkey): no code to type. */
  readonly browser: boolean;
}

/** The error summary at the top of a form; a challenge's message is shown as a message, not an error. */
export function errorSummary(errors: readonly OtpFormError[]): SafeHtml {
  const messages = errors.filter((e) => e.code === 'challenge_message');
  const problems = errors.filter((e) => e.code !== 'challenge_message');
  return joinHtml([
    messages.length > 0 ? html`<div class="message" role="status">${messages.map((e) => html`<p>${e.message}</p>`)}</div>` : html``,
    problems.length > 0
      ? html`<div class="errors" role="alert" id="form-errors">${problems.map((e) => html`<p data-code="${e.code}">${e.message}</p>`)}</div>`
      : html``,
  ]);
}

/** The hidden fields every form carries: the CSRF token and where to go next. */
export function hiddenFields(csrfToken: string, next: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrfToken}"><input type="hidden" name="next" value="${next}">`;
}

/** The token field with its label and hint; an invalid one points at the error summary. */
export function tokenInput(label: string, hint: string, invalid: boolean, autofocus = false): SafeHtml {
  return html`<label for="otp_token">${label}</label>
<input type="text" id="otp_token" name="otp_token" inputmode="numeric" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" maxlength="128" aria-describedby="${invalid ? 'form-errors otp_token_hint' : 'otp_token_hint'}"${invalid ? html` aria-invalid="true"` : html``}${autofocus ? html` autofocus` : html``}>
<p class="hint" id="otp_token_hint">${hint}</p>`;
}
