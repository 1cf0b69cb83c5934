import type { AuditEvent } from '@otpkit/core';
import { html, type SafeHtml } from '../../views/html.js';
import { dataTable, section, timeCell, userPath, type AdminView } from './admin-parts.js';

/** A page of the user's audit events, or `null` when the audit table is off. */
export interface AuditPage {
  readonly events: readonly AuditEvent[];
  /** The `before` of the next (older) page, or `null` when this is the last. */
  readonly older: number | null;
}

/** The fields every event has, shown in their own columns; the rest are the type's details. */
const COMMON_FIELDS = new Set(['id', 'type', 'userId', 'deviceId', 'at', 'via', 'ip', 'userAgent', 'actor']);

/** An event's own fields (`count: 2`, `cleared: true`, times such as `lockedUntil` in ISO 8601): never a secret, as events carry none. */
function details(event: AuditEvent): string {
  return Object.entries(event)
    .filter(([name]) => !COMMON_FIELDS.has(name))
    .map(([name, value]) => `${name}: ${typeof value === 'number' && /(?:At|Until)$/.test(name) ? new Date(value).toISOString() : String(value)}`)
    .join(', ');
}

/** The user's events from the audit table, newest first, with who acted, and a link to older ones. */
export function auditSection(view: AdminView, userId: string, audit: AuditPage | null): SafeHtml {
  const t = view.t;
  if (audit === null) return section('events', t('admin.events.heading'), html`<p>${t('admin.events.off')}</p>`);
  const rows = audit.events.map(
    (event) => html`<tr>
<td>${timeCell(view, event.at)}</td>
<td><code>${event.type}</code></td>
<td>${details(event)}</td>
<td>${event.deviceId ?? ''}</td>
<td>${event.via}</td>
<td>${event.actor ?? ''}</td>
<td>${event.ip ?? ''}</td>
</tr>`,
  );
  const headers = [t('admin.column.time'), t('admin.column.event'), t('admin.column.details'), t('admin.column.device'), t('admin.column.via'), t('admin.column.actor'), t('admin.column.address')];
  const older = audit.older === null ? html`` : html`<p><a href="${userPath(view, userId)}?before=${audit.older}#events">${t('admin.events.older')}</a></p>`;
  return section('events', t('admin.events.heading'), html`${dataTable('events', headers, rows, t('admin.events.none'))}
${older}`);
}
