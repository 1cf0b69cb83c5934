import { html } from '../../views/html.js';
import { adminPage, type AdminView } from './admin-parts.js';

/** What a refusal page says: its stable code (`data-code`), title, message and an optional link. */
export interface AdminMessage {
  readonly code: string;
  readonly title: string;
  readonly message: string;
  readonly link?: { readonly href: string; readonly text: string } | undefined;
}

/** A page with one message (a refusal: forbidden, not found, an expired form) and a link. */
export function adminMessagePage(view: Pick<AdminView, 'locale'>, { code, title, message, link }: AdminMessage): string {
  return adminPage(
    view,
    title,
    html`<p role="alert" data-code="${code}">${message}</p>${link === undefined ? html`` : html`<p><a href="${link.href}">${link.text}</a></p>`}`,
  );
}
