import type { OtpFormError } from '../forms/form-errors.js';
import { challengeButton, errorSummary, hiddenFields, tokenFields, type DeviceChoice } from './form-parts.js';
import { html } from './html.js';
import { layout } from './layout.js';

/** What the token page shows. */
export interface TokenPageModel {
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
}

/** The token-only view of an authenticated user (django-otp's `OTPTokenForm` on a page). */
export function tokenPage(model: TokenPageModel): string {
  const invalid = model.errors.some((e) => e.field === 'otp_token');
  const body =
    model.devices.length === 0
      ? html`<p>Your account has no two-factor device yet, so it cannot be verified here.</p>`
      : html`${errorSummary(model.errors)}
<form method="post" action="${model.action}">
${hiddenFields(model.csrfToken, model.next)}
${tokenFields(model.devices, model.selected, invalid)}
${model.canRemember ? html`<label class="check"><input type="checkbox" name="remember" value="1"> Remember this browser for ${model.rememberDays} days</label>` : html``}
<button type="submit">Verify</button>
${challengeButton(model.devices)}
</form>`;
  return layout(
    'Two-factor verification',
    html`${body}
<form method="post" action="${model.logoutAction}">
${hiddenFields(model.csrfToken, '')}
${model.canRemember ? html`<label class="check"><input type="checkbox" name="forget" value="1"> Forget this browser</label>` : html``}
<button type="submit" class="secondary">Sign out</button>
</form>`,
  );
}
