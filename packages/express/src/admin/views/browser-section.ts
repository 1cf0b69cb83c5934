import type { RememberedBrowser } from '@otpkit/core';
import { html, type SafeHtml } from '../../views/html.js';
import { actionButton, revocableList, timeCell, userPath, type AdminView } from './admin-parts.js';

/** The user's remembered browsers (`otp.browsers.list`), each with "Revoke", and "Revoke all"; `deviceNames` names the devices they were remembered with. */
export function browserSection(view: AdminView, userId: string, browsers: readonly RememberedBrowser[], deviceNames: ReadonlyMap<string, string>): SafeHtml {
  const t = view.t;
  const rows = browsers.map((browser) => {
    const agent = browser.userAgent ?? t('admin.browser.unknown');
    return html`<tr>
<td>${agent}</td>
<td>${deviceNames.get(browser.deviceId) ?? browser.deviceId}</td>
<td>${timeCell(view, browser.createdAt)}</td>
<td>${timeCell(view, browser.lastSeenAt)}</td>
<td>${timeCell(view, browser.expiresAt)}</td>
<td>${actionButton(view, userPath(view, userId, '/browsers/revoke'), t('admin.browser.revoke'), { fields: { browser: String(browser.id) }, label: t('admin.browser.revokeLabel', { browser: agent }), secondary: true })}</td>
</tr>`;
  });
  const headers = [t('admin.column.browser'), t('admin.column.rememberedWith'), t('admin.column.remembered'), t('admin.column.lastSeen'), t('admin.column.expires'), t('admin.column.action')];
  return revocableList(view, {
    id: 'browsers',
    heading: t('admin.browsers.heading'),
    headers,
    rows,
    empty: t('admin.browsers.none'),
    revokeAll: { action: userPath(view, userId, '/browsers/revoke-all'), text: t('admin.browser.revokeAll') },
  });
}
