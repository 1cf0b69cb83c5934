import type { Translate } from '@otpkit/core';
import type { OtpFormError } from '../forms/form-errors.js';
import type { BrowserChallenge } from '../forms/clean-otp.js';
import { browserChallengeForm, browserDeviceButtons } from './browser-ceremony.js';
import { challengeButton, errorSummary, hiddenFields, tokenFields, type DeviceChoice } from './form-parts.js';
import { html } from './html.js';
import { layout } from './layout.js';

/** What the token page shows. */
export interface TokenPageModel {
  /** The request's locale (`req.otp.locale`): the page's `<html lang>`. */
  readonly locale: string;
  /** The request's messages (`req.otp.t`). */
  readonly t: Translate;
  readonly action: string;
  readonly logoutAction: string;
  readonly csrfToken: string;
  readonly next: string;
  readonly devices: readonly DeviceChoice[];
  readonly selected?: string | undefined;
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
 * The token-only view of an authenticated user (django-otp's `OTPTokenForm` on a page): a code
 * field for the devices that show or send codes, and a button per security key or passkey.
 */
export function tokenPage(model: TokenPageModel): string {
  const invalid = model.errors.some((e) => e.field === 'otp_token');
  const target = { action: model.action, csrfToken: model.csrfToken, next: model.next, t: model.t };
  const codeDevices = model.devices.filter((device) => !device.browser);
  const remember = model.canRemember ? html`<label class="check"><input type="checkbox" name="remember" value="1"> Remember this browser for ${model.rememberDays} days</label>` : html``;
  const codeForm =
    codeDevices.length === 0
      ? html``
      : html`<form method="post" action="${model.action}">
${hiddenFields(model.csrfToken, model.next)}
${tokenFields(codeDevices, model.selected, invalid)}
${remember}
<button type="submit">Verify</button>
${challengeButton(codeDevices)}
</form>`;
  const body =
    model.devices.length === 0
      ? html`<p>Your account has no two-factor device yet, so it cannot be verified here.</p>`
      : html`${errorSummary(model.errors)}
${model.browserChallenge === undefined ? html`` : browserChallengeForm(model.browserChallenge, target, remember)}
${codeForm}
${browserDeviceButtons(model.devices, target)}`;
  return layout(
    model.locale,
    'Two-factor verification',
    html`${body}
<form method="post" action="${model.logoutAction}">
${hiddenFields(model.csrfToken, '')}
${model.canRemember ? html`<label class="check"><input type="checkbox" name="forget" value="1"> Forget this browser</label>` : html``}
<button type="submit" class="secondary">Sign out</button>
</form>`,
    model.scripts ?? [],
  );
}
