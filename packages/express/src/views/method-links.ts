/**
 * The token page's links: to the form of one method (`?device=<persistent id>`) and to the list of
 * every method (`?choose=1`), each keeping `next`. The router checks the id against the user's own
 * methods; these links only name one.
 * @module
 */

/** The token page showing the form of the method `id`. */
export function methodHref(action: string, next: string, id: string): string {
  return `${action}?device=${encodeURIComponent(id)}&next=${encodeURIComponent(next)}`;
}

/** The token page listing every method. */
export function chooseHref(action: string, next: string): string {
  return `${action}?choose=1&next=${encodeURIComponent(next)}`;
}
