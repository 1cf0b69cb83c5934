import type { Translate } from '@otpkit/core';
import { html, type SafeHtml } from './html.js';
import { hiddenFields, type DeviceChoice } from './form-parts.js';

/**
 * The parts of otpkit's pages that a plugin's browser script runs (WebAuthn): forms marked with
 * `data-otpkit-webauthn`, hidden until the script finds the browser able, so a page without the
 * script offers only what works without it.
 * @module
 */

/** Where a form posts, what it carries besides its own fields, and the page's messages (`req.otp.t`). */
export interface FormTarget {
  readonly action: string;
  readonly csrfToken: string;
  readonly next: string;
  readonly t: Translate;
}

/**
 * Where the browser shows why a ceremony failed (cancelled, timed out, no authenticator), with the
 * script's messages in the page's language (by the `DOMException` name; `other` for the rest).
 */
export function webauthnErrorSlot(t: Translate): SafeHtml {
  const messages = {
    NotAllowedError: t('webauthn.error.cancelled'),
    InvalidStateError: t('webauthn.error.alreadyRegistered'),
    SecurityError: t('webauthn.error.insecure'),
    other: t('webauthn.error.other'),
  };
  return html`<p class="errors" role="alert" data-otpkit-webauthn-error data-otpkit-messages="${JSON.stringify(messages)}" hidden></p>`;
}

/** One "Use <device>" button per device answered in the browser: it asks the server for a challenge. */
export function browserDeviceButtons(devices: readonly DeviceChoice[], target: FormTarget): SafeHtml {
  const { t } = target;
  return html`${devices
    .filter((device) => device.browser)
    .map(
      (device) => html`<form method="post" action="${target.action}" data-otpkit-webauthn-only hidden>
${hiddenFields(target.csrfToken, target.next)}
<input type="hidden" name="otp_device" value="${device.id}">
<button type="submit" name="otp_challenge" value="1" class="secondary">${t('webauthn.useDevice', { device: device.name })}</button>
</form>`,
    )}`;
}

/**
 * The form that answers a challenge issued for a device answered in the browser: the script runs
 * `navigator.credentials.get` with `request`, puts the answer in `otp_credential` and submits.
 */
export function browserChallengeForm(challenge: { readonly device: string; readonly request: object }, target: FormTarget, extra: SafeHtml): SafeHtml {
  const { t } = target;
  return html`<form method="post" action="${target.action}" data-otpkit-webauthn="get" data-otpkit-field="otp_credential" data-otpkit-options="${JSON.stringify(challenge.request)}" data-otpkit-webauthn-only hidden>
${hiddenFields(target.csrfToken, target.next)}
<input type="hidden" name="otp_device" value="${challenge.device}">
<input type="hidden" name="otp_credential" value="">
${webauthnErrorSlot(t)}
${extra}
<button type="submit" autofocus>${t('webauthn.continue')}</button>
</form>`;
}

/**
 * The passkey sign-in form of the login page: the script offers the site's passkeys on its button
 * and, with `autofill`, in the username field's autofill (where the browser can), then posts the
 * answer. After a refused passkey the page shows the button only, so nothing prompts again unasked.
 */
export function passkeyForm(request: object, target: FormTarget, autofill: boolean): SafeHtml {
  const { t } = target;
  return html`<form method="post" action="${target.action}" data-otpkit-webauthn="passkey"${autofill ? html` data-otpkit-autofill` : html``} data-otpkit-options="${JSON.stringify(request)}" data-otpkit-webauthn-only hidden>
${hiddenFields(target.csrfToken, target.next)}
<input type="hidden" name="credential" value="">
${webauthnErrorSlot(t)}
<button type="submit" class="secondary">${t('webauthn.passkeySignIn')}</button>
</form>`;
}
