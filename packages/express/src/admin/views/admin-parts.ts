import type { Translate } from '@otpkit/core';
import { html, type SafeHtml } from '../../views/html.js';
import { layout } from '../../views/layout.js';

/** What every admin view needs: the request's messages, where the router is mounted and the form token. */
export interface AdminView {
  readonly t: Translate;
  /** The request's locale (`<html lang>`, dates). */
  readonly locale: string;
  /** The router's mount path (`req.baseUrl`). */
  readonly base: string;
  /** The session's CSRF token, for the forms. */
  readonly csrfToken: string;
}

/** A whole admin page: wide, in the request's language. */
export function adminPage(view: Pick<AdminView, 'locale'>, title: string, body: SafeHtml): string {
  return layout(title, body, [], { lang: view.locale, wide: true });
}

/** The path of a user's page, or of one of its actions (`'/devices/remove'`). */
export function userPath(view: Pick<AdminView, 'base'>, userId: string, action = ''): string {
  return `${view.base}/users/${encodeURIComponent(userId)}${action}`;
}

/**
 * A form of one button that posts an action with the CSRF token and `fields` (hidden inputs);
 * `label` names the button for assistive technology when several look alike ("Remove" per row).
 */
export function actionButton(view: AdminView, action: string, text: string, options: { readonly fields?: Readonly<Record<string, string>>; readonly label?: string; readonly secondary?: boolean } = {}): SafeHtml {
  const fields = Object.entries(options.fields ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const label = options.label === undefined ? html`` : html` aria-label="${options.label}"`;
  const kind = options.secondary === true ? html` class="secondary"` : html``;
  return html`<form method="post" action="${action}"><input type="hidden" name="_csrf" value="${view.csrfToken}">${fields}<button type="submit"${kind}${label}>${text}</button></form>`;
}

/** A time (epoch ms) as a `<time>` element in the request's locale, in UTC; `null` is "never". */
export function timeCell(view: Pick<AdminView, 't' | 'locale'>, at: number | null): SafeHtml {
  if (at === null) return html`${view.t('admin.never')}`;
  const date = new Date(at);
  const text = new Intl.DateTimeFormat(view.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date);
  return html`<time datetime="${date.toISOString()}">${view.t('admin.utcTime', { time: text })}</time>`;
}

/** A section of a page: its `<h2>` labels it (and the table in it). */
export function section(id: string, heading: string, content: SafeHtml): SafeHtml {
  return html`<section aria-labelledby="${id}">
<h2 id="${id}">${heading}</h2>
${content}
</section>`;
}

/** A table labelled by the heading `labelledBy`, with its header cells (`scope="col"`) and rows, or `empty` when there is no row. */
export function dataTable(labelledBy: string, headers: readonly string[], rows: readonly SafeHtml[], empty: string): SafeHtml {
  if (rows.length === 0) return html`<p>${empty}</p>`;
  return html`<table aria-labelledby="${labelledBy}">
<thead><tr>${headers.map((header) => html`<th scope="col">${header}</th>`)}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

/** A section listing revocable things (browsers, sessions): the table, then one button that revokes them all. */
export function revocableList(
  view: AdminView,
  list: { readonly id: string; readonly heading: string; readonly headers: readonly string[]; readonly rows: readonly SafeHtml[]; readonly empty: string; readonly revokeAll: { readonly action: string; readonly text: string } },
): SafeHtml {
  const revokeAll = list.rows.length === 0 ? html`` : actionButton(view, list.revokeAll.action, list.revokeAll.text);
  return section(list.id, list.heading, html`${dataTable(list.id, list.headers, list.rows, list.empty)}
${revokeAll}`);
}
