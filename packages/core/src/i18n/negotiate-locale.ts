/** The longest `Accept-Language` header read; longer ones are cut (a header is a client's input). */
const MAX_HEADER_LENGTH = 1024;
const RANGE = /^([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)$/;

/**
 * The best of `available` locales for an `Accept-Language` header (RFC 9110 quality values; a
 * range `fr-CH` also matches `fr`), or `fallback` when none matches or the header is absent or
 * malformed. Never throws.
 */
export function negotiateLocale(header: unknown, available: readonly string[], fallback: string): string {
  if (typeof header !== 'string' || header === '') return fallback;
  const byLowerCase = new Map(available.map((locale) => [locale.toLowerCase(), locale]));
  const ranges = header
    .slice(0, MAX_HEADER_LENGTH)
    .split(',')
    .map((part, index) => {
      const [range = '', ...parameters] = part.trim().split(';');
      const quality = parameters.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)).find((match) => match !== null);
      return { range: range.trim().toLowerCase(), q: quality ? Number(quality[1]) : 1, index };
    })
    .filter(({ range, q }) => RANGE.test(range) && q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { range } of ranges) {
    if (range === '*') return fallback;
    for (let tag = range; tag !== ''; tag = tag.includes('-') ? tag.slice(0, tag.lastIndexOf('-')) : '') {
      const locale = byLowerCase.get(tag);
      if (locale !== undefined) return locale;
    }
  }
  return fallback;
}
