/** The longest `Accept-Language` header read; longer ones are cut (a header is a client's input). */
const MAX_HEADER_LENGTH = 1024;
const RANGE = /^(?:[a-z]{1,8}(?:-[a-z0-9]{1,8})*|\*)$/;
/** RFC 9110's qvalue: 0 to 1 with at most three decimals. */
const QUALITY = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The available locale a language tag names: the same tag in any case, else its shorter prefixes
 * (`fr-CH` → `fr`; RFC 4647 lookup), or `undefined`.
 */
export function lookupLocale(tag: string, available: readonly string[]): string | undefined {
  const byLowerCase = new Map(available.map((locale) => [locale.toLowerCase(), locale]));
  for (let range = tag.toLowerCase(); range !== ''; range = range.includes('-') ? range.slice(0, range.lastIndexOf('-')) : '') {
    const locale = byLowerCase.get(range);
    if (locale !== undefined) return locale;
  }
  return undefined;
}

/** The ranges of a header with their quality, best first (ties keep the header's order); malformed ones left out. */
function rangesOf(header: string): { range: string; q: number }[] {
  return header
    .slice(0, MAX_HEADER_LENGTH)
    .split(',')
    .map((part, index) => {
      const [range = '', ...parameters] = part.split(';').map((piece) => piece.trim());
      const qualities = parameters.map((parameter) => QUALITY.exec(parameter.toLowerCase().replace(/\s+/g, '')));
      // A parameter other than a well-formed q makes the range unreadable: it is left out.
      const q = qualities.length === 0 ? 1 : qualities.length === 1 && qualities[0] !== null ? Number(qualities[0]![1]) : Number.NaN;
      return { range: range.toLowerCase(), q, index };
    })
    .filter(({ range, q }) => RANGE.test(range) && q >= 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
}

/**
 * The best of `available` locales for an `Accept-Language` header (RFC 9110 quality values; a
 * range `fr-CH` also matches `fr`; `*` is `fallback`, or the first available locale the header does
 * not refuse with `q=0`), or `fallback` when none matches or the header is absent or malformed.
 * Never throws.
 */
export function negotiateLocale(header: unknown, available: readonly string[], fallback: string): string {
  if (typeof header !== 'string' || header === '') return fallback;
  const ranges = rangesOf(header);
  const refusedRanges = ranges.filter(({ q }) => q === 0).map(({ range }) => range);
  // `fr;q=0` refuses fr and fr-CA; `fr-CH;q=0` refuses fr-CH only.
  const refused = (locale: string) => refusedRanges.some((range) => locale.toLowerCase() === range || locale.toLowerCase().startsWith(`${range}-`));
  for (const { range, q } of ranges) {
    if (q === 0) break;
    if (range === '*') return [fallback, ...available].find((locale) => !refused(locale)) ?? fallback;
    const locale = lookupLocale(range, available);
    if (locale !== undefined && !refused(locale)) return locale;
  }
  return fallback;
}
