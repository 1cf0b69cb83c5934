import type { MessageKey } from '@otpkit/core';
import { html, type SafeHtml } from '../../views/html.js';
import { actionButton, section, userPath, type AdminView } from './admin-parts.js';

/** The sections that help a locked-out user with one button: where it posts and what it says. */
const RECOVERY = {
  /** Clear the failed attempts: the user's guessing budget and every device's own throttle. */
  throttle: { action: '/throttle/reset', heading: 'admin.throttle.heading', hint: 'admin.throttle.hint', button: 'admin.throttle.reset' },
  /** Issue a one-time backup code, for a user who lost every device (when backup codes are configured). */
  'backup-code': { action: '/backup-code', heading: 'admin.backupCode.heading', hint: 'admin.backupCode.hint', button: 'admin.backupCode.issue' },
} as const satisfies Record<string, { readonly action: string; readonly heading: MessageKey; readonly hint: MessageKey; readonly button: MessageKey }>;

/** A section that explains one way to help the user and offers its button. */
export function recoverySection(view: AdminView, userId: string, kind: keyof typeof RECOVERY): SafeHtml {
  const { action, heading, hint, button } = RECOVERY[kind];
  return section(
    kind,
    view.t(heading),
    html`<p class="hint">${view.t(hint)}</p>
${actionButton(view, userPath(view, userId, action), view.t(button))}`,
  );
}
