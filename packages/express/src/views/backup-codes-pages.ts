import { hiddenFields } from './form-parts.js';
import { html } from './html.js';
import { layout } from './layout.js';
import type { EnrolPageBase } from './enrol-pages.js';

/** What the page showing new backup codes shows. */
export interface BackupCodesModel extends EnrolPageBase {
  /** Where "I have saved them" posts (it continues to `next`). */
  readonly doneAction: string;
  readonly codes: readonly string[];
  /** The codes follow the set-up of a first device: say that two-factor is now on. */
  readonly afterEnrolment: boolean;
}

/** New backup codes, shown once, with "I have saved them" to continue. */
export function backupCodesPage(model: BackupCodesModel): string {
  const { t } = model.text;
  return layout(
    model.text.locale,
    t('backupCodes.title'),
    html`${model.afterEnrolment ? html`<div class="message" role="status"><p>${t('backupCodes.enrolled')}</p></div>` : html``}
<p>${t('backupCodes.intro')}</p>
<ul class="codes">
${model.codes.map((code) => html`<li><code>${code}</code></li>`)}
</ul>
<form method="post" action="${model.doneAction}">
${hiddenFields(model.csrfToken, model.next)}
<button type="submit">${t('backupCodes.saved')}</button>
</form>`,
  );
}

/** What the page after a sign-in with a backup code shows. */
export interface BackupCodeUsedModel extends EnrolPageBase {
  readonly remaining: number;
  /** Few codes remain: warn, and offer new ones. */
  readonly low: boolean;
  /** Where "Make new backup codes" posts. */
  readonly regenerateAction: string;
}

/**
 * After a sign-in with a backup code: how many remain; at few, a warning and a button to make new
 * ones (the session was just verified, which that needs). "Continue" goes on to `next`.
 */
export function backupCodeUsedPage(model: BackupCodeUsedModel): string {
  const { t } = model.text;
  const remaining = t('backupCodes.remaining', { count: model.remaining });
  return layout(
    model.text.locale,
    t('backupCodes.used.title'),
    html`${model.low ? html`<div class="errors" role="alert"><p>${remaining}</p><p>${t('backupCodes.low')}</p></div>` : html`<p role="status">${remaining}</p>`}
<form method="post" action="${model.regenerateAction}">
${hiddenFields(model.csrfToken, model.next)}
<button type="submit"${model.low ? html`` : html` class="secondary"`} aria-describedby="regenerate-hint">${t('backupCodes.regenerate')}</button>
<p class="hint" id="regenerate-hint">${t('backupCodes.regenerateHint')}</p>
</form>
<p><a href="${model.next}">${t('backupCodes.continue')}</a></p>`,
  );
}
