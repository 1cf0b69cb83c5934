import type { TokenSession } from '@otpkit/core';
import { html, type SafeHtml } from '../../views/html.js';
import { actionButton, revocableList, timeCell, userPath, type AdminView } from './admin-parts.js';

/** The user's token sessions (signed-in apps), each with "End", and "End every session". */
export function sessionSection(view: AdminView, userId: string, sessions: readonly TokenSession[]): SafeHtml {
  const t = view.t;
  const rows = sessions.map((session) => {
    const client = session.userAgent ?? t('admin.session.unknownClient');
    return html`<tr>
<td>${client}</td>
<td>${session.ip ?? t('admin.unknown')}</td>
<td>${t('admin.session.factors', { count: session.aal })}</td>
<td>${timeCell(view, session.createdAt)}</td>
<td>${timeCell(view, session.lastUsedAt)}</td>
<td>${timeCell(view, session.expiresAt)}</td>
<td>${actionButton(view, userPath(view, userId, '/sessions/revoke'), t('admin.session.revoke'), { fields: { session: session.id }, label: t('admin.session.revokeLabel', { client }), secondary: true })}</td>
</tr>`;
  });
  const headers = [t('admin.column.client'), t('admin.column.address'), t('admin.column.factors'), t('admin.column.signedIn'), t('admin.column.lastUsed'), t('admin.column.expires'), t('admin.column.action')];
  return revocableList(view, {
    id: 'sessions',
    heading: t('admin.sessions.heading'),
    headers,
    rows,
    empty: t('admin.sessions.none'),
    revokeAll: { action: userPath(view, userId, '/sessions/revoke-all'), text: t('admin.session.revokeAll') },
  });
}
