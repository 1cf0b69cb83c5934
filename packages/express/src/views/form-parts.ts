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

/** The device select (each device by its name and type) and the token field. */
export function tokenFields(devices: readonly DeviceChoice[], selected: string | undefined, invalid: boolean): SafeHtml {
  const interactive = devices.some((d) => d.interactive);
  const select =
    devices.length > 1 || interactive
      ? html`<label for="otp_device">Device</label>
<select id="otp_device" name="otp_device">
<option value="">Any of my devices</option>
${devices.map((d) => html`<option value="${d.id}"${d.id === selected ? html` selected` : html``}>${d.name} (${d.type})</option>`)}
</select>`
      : html``;
  return html`${select}
<label for="otp_token">Verification code</label>
<input type="text" id="otp_token" name="otp_token" inputmode="numeric" autocomplete="one-time-code" autocapitalize="off" spellcheck="false" maxlength="128" aria-describedby="${invalid ? 'form-errors otp_token_hint' : 'otp_token_hint'}"${invalid ? html` aria-invalid="true"` : html``}>
<p class="hint" id="otp_token_hint">${interactive ? 'A code from one of your devices, or one we send you.' : 'A code from one of your devices.'}</p>`;
}

/** The "send me a code" button, when a device is interactive. Placed after the main button, so Enter submits the token. */
export function challengeButton(devices: readonly DeviceChoice[]): SafeHtml {
  return devices.some((d) => d.interactive)
    ? html`<button type="submit" name="otp_challenge" value="1" class="secondary" formnovalidate>Send me a code</button>`
    : html``;
}
