import type { UserRecord } from '@otpkit/core';
import { html } from '../../views/html.js';
import { adminPage, dataTable, userPath, type AdminView } from './admin-parts.js';

/** What the search page shows: the form, and what the last search found when it did not lead to one user. */
export interface SearchPageModel {
  readonly query: string;
  /** `'none'`: nothing searched yet; `'no-match'`: no user; `'several'`: `matches` lists them. */
  readonly outcome: 'none' | 'no-match' | 'several';
  readonly matches: readonly UserRecord[];
}

/** The admin's first page: find a user by username, email address or id. */
export function searchPage(view: AdminView, { query, outcome, matches }: SearchPageModel): string {
  const t = view.t;
  const problem = outcome === 'no-match' ? html`<div class="errors" role="alert" id="search-errors"><p data-code="user_not_found">${t('admin.search.noMatch')}</p></div>` : html``;
  const invalid = outcome === 'no-match' ? html` aria-invalid="true" aria-describedby="search-errors"` : html``;
  const found =
    outcome === 'several'
      ? html`<h2 id="matches">${t('admin.search.several')}</h2>
${dataTable(
  'matches',
  [t('admin.column.username'), t('admin.column.userId')],
  matches.map((user) => html`<tr><td><a href="${userPath(view, user.id)}">${user.username}</a></td><td>${user.id}</td></tr>`),
  '',
)}`
      : html``;
  return adminPage(
    view,
    t('admin.title'),
    html`${problem}
<form method="get" action="${view.base}/">
<label for="q">${t('admin.search.label')}</label>
<input type="text" id="q" name="q" autocomplete="off" autocapitalize="off" spellcheck="false" maxlength="255" required value="${query}"${invalid}>
<button type="submit">${t('admin.search.submit')}</button>
</form>
${found}`,
  );
}
