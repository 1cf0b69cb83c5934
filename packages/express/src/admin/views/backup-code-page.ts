import type { UserRecord } from '@otpkit/core';
import { html } from '../../views/html.js';
import { adminPage, userPath, type AdminView } from './admin-parts.js';

/** The page that shows a one-time backup code, once (the answer to the POST that issued it; never stored or redirected to). */
export function backupCodePage(view: AdminView, user: UserRecord, code: string): string {
  const { t } = view;
  return adminPage(
    view,
    t('admin.backupCode.title', { username: user.username }),
    html`<p><code class="secret" id="backup-code">${code}</code></p>
<p>${t('admin.backupCode.give', { username: user.username })}</p>
<p>${t('admin.backupCode.once')}</p>
<p><a href="${userPath(view, user.id)}">${t('admin.backToUser', { username: user.username })}</a></p>`,
  );
}
