import type { RememberedBrowser, TokenSession, UserRecord } from '@otpkit/core';
import { html } from '../../views/html.js';
import { adminPage, type AdminView } from './admin-parts.js';
import { auditSection, type AuditPage } from './audit-section.js';
import { browserSection } from './browser-section.js';
import { deviceSection, type AdminDeviceRow } from './device-section.js';
import { recoverySection } from './recovery-sections.js';
import { sessionSection } from './session-section.js';

/** What a user's admin page shows. */
export interface UserPageModel {
  readonly user: UserRecord;
  /** What the last action did (shown once, after its redirect), or `null`. */
  readonly notice: string | null;
  readonly devices: readonly AdminDeviceRow[];
  /** Whether backup codes are configured, so a one-time code can be issued. */
  readonly backupCodes: boolean;
  readonly browsers: readonly RememberedBrowser[];
  /** The user's token sessions, or `null` when the router has no `tokenSessions`. */
  readonly sessions: readonly TokenSession[] | null;
  /** A page of audit events, or `null` when the audit table is off. */
  readonly audit: AuditPage | null;
}

/** A user's page: devices, the throttle, a one-time backup code, remembered browsers, token sessions and events. */
export function userPage(view: AdminView, model: UserPageModel): string {
  const { t } = view;
  const { user } = model;
  const deviceNames = new Map(model.devices.map((device) => [device.id, device.name]));
  return adminPage(
    view,
    t('admin.user.title', { username: user.username }),
    html`${model.notice === null ? html`` : html`<div class="message" role="status"><p>${model.notice}</p></div>`}
<p>${t('admin.user.id', { id: user.id })} · <a href="${view.base}/">${t('admin.search.another')}</a></p>
${deviceSection(view, user.id, model.devices)}
${recoverySection(view, user.id, 'throttle')}
${model.backupCodes ? recoverySection(view, user.id, 'backup-code') : html``}
${browserSection(view, user.id, model.browsers, deviceNames)}
${model.sessions === null ? html`` : sessionSection(view, user.id, model.sessions)}
${auditSection(view, user.id, model.audit)}`,
  );
}
