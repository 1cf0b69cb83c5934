import { html, type SafeHtml } from '../../views/html.js';
import { actionButton, section, userPath, type AdminView } from './admin-parts.js';

/** "Clear the failed attempts": the user's guessing budget and every device's own throttle. */
export function throttleSection(view: AdminView, userId: string): SafeHtml {
  const t = view.t;
  return section(
    'throttle',
    t('admin.throttle.heading'),
    html`<p class="hint">${t('admin.throttle.hint')}</p>
${actionButton(view, userPath(view, userId, '/throttle/reset'), t('admin.throttle.reset'))}`,
  );
}

/** "Issue a one-time backup code", for a user who lost every device (when backup codes are configured). */
export function backupCodeSection(view: AdminView, userId: string): SafeHtml {
  const t = view.t;
  return section(
    'backup-code',
    t('admin.backupCode.heading'),
    html`<p class="hint">${t('admin.backupCode.hint')}</p>
${actionButton(view, userPath(view, userId, '/backup-code'), t('admin.backupCode.issue'))}`,
  );
}
