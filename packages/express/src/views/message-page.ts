import { html } from './html.js';
import { layout } from './layout.js';

/** A page with one message and a link, for refused requests (an expired form, a body too large), in `locale`. */
export function messagePage(locale: string, title: string, message: string, link: { readonly href: string; readonly text: string }): string {
  return layout(locale, title, html`<p role="alert">${message}</p><p><a href="${link.href}">${link.text}</a></p>`);
}
