import { html } from './html.js';
import { layout } from './layout.js';

/** A page with one message and a link, for refused requests (an expired form, a body too large). */
export function messagePage(title: string, message: string, link: { href: string; text: string }): string {
  return layout(title, html`<p role="alert">${message}</p><p><a href="${link.href}">${link.text}</a></p>`);
}
