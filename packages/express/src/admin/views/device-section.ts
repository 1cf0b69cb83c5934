import type { DeviceSummary } from '../../internal/device-summary.js';
import { html, type SafeHtml } from '../../views/html.js';
import { actionButton, dataTable, section, timeCell, userPath, type AdminView } from './admin-parts.js';

/** A device as the admin page lists it: its summary (never a secret or an address) and its own throttle. */
export interface AdminDeviceRow extends DeviceSummary {
  /** Consecutive failed verifications counted on the device. */
  readonly failures: number;
  /** Until when (epoch ms) the device refuses verifications after them, or `null`. */
  readonly lockedUntil: number | null;
}

/** The user's devices, each with a "Remove" button. */
export function deviceSection(view: AdminView, userId: string, devices: readonly AdminDeviceRow[]): SafeHtml {
  const t = view.t;
  const rows = devices.map(
    (device) => html`<tr>
<td>${device.name}</td>
<td>${device.type}</td>
<td>${t(`admin.purpose.${device.purpose}`)}</td>
<td>${device.confirmed ? t('admin.device.confirmed') : t('admin.device.pending')}</td>
<td>${timeCell(view, device.createdAt)}</td>
<td>${timeCell(view, device.lastUsedAt)}</td>
<td>${device.failures}${device.lockedUntil === null ? html`` : html` (${t('admin.device.lockedUntil')} ${timeCell(view, device.lockedUntil)})`}</td>
<td>${actionButton(view, userPath(view, userId, '/devices/remove'), t('admin.device.remove'), { fields: { device: device.id }, label: t('admin.device.removeLabel', { name: device.name }), secondary: true })}</td>
</tr>`,
  );
  const headers = [
    t('admin.column.name'),
    t('admin.column.type'),
    t('admin.column.purpose'),
    t('admin.column.status'),
    t('admin.column.added'),
    t('admin.column.lastUsed'),
    t('admin.column.failures'),
    t('admin.column.action'),
  ];
  return section('devices', t('admin.devices.heading'), dataTable('devices', headers, rows, t('admin.devices.none')));
}
