import { describe, expect, it } from 'vitest';
import { lookupLocale, negotiateLocale } from './negotiate-locale.js';

const available = ['en', 'fr', 'pt-BR'];
const negotiate = (header: unknown) => negotiateLocale(header, available, 'en');

describe('negotiateLocale', () => {
  it.each([
    ['fr', 'fr'],
    ['en;q=0.5, fr;q=0.8', 'fr'],
    ['de, fr;q=0.9, en;q=0.8', 'fr'],
    ['fr;q=0.7, en;q=0.7', 'fr'],
    ['en;q=0.7, fr;q=0.7', 'en'],
    ['fr;q=1.000, en', 'fr'],
  ])('picks the range of the highest quality, the header order breaking ties: %s gives %s', (header, locale) => {
    expect(negotiate(header)).toBe(locale);
  });

  it('matches a range by its prefixes (fr-CH gives fr) and in any case', () => {
    expect(negotiate('fr-CH, en;q=0.9')).toBe('fr');
    expect(negotiate('FR-ca')).toBe('fr');
    expect(negotiate('pt-br')).toBe('pt-BR');
    expect(negotiate('pt')).toBe('en'); // a shorter range never picks a longer tag (RFC 4647 lookup)
    expect(lookupLocale('zh-Hant-TW', available)).toBeUndefined();
  });

  it('honours q=0 as a refusal, also of what * would give', () => {
    expect(negotiate('fr;q=0, *')).toBe('en');
    expect(negotiateLocale('en;q=0, *', available, 'en')).toBe('fr');
    expect(negotiate('fr-CH;q=0, fr')).toBe('fr');
    expect(negotiate('fr;q=0, fr-CA')).toBe('en');
    expect(negotiate('*')).toBe('en');
  });

  it('answers the fallback for an absent, empty, unknown or malformed header, and never throws', () => {
    for (const header of [undefined, null, '', 42, ['fr'], 'de', 'de-DE, es;q=0.5', ',,,', ';q=1', 'fr;q=2', 'fr;q=1.5', 'fr;q=0.1234', 'fr;q=abc', 'fr;level=1', 'f r', 'fr_FR', '😀', 'x'.repeat(5000)]) {
      expect(negotiate(header), String(header).slice(0, 20)).toBe('en');
    }
    // A malformed range is skipped, not the whole header.
    expect(negotiate('fr;q=abc, pt-BR;q=0.5')).toBe('pt-BR');
    expect(negotiate('q=1, fr')).toBe('fr');
    // Only the first 1024 characters are read.
    expect(negotiate(`${'de;q=0.9, '.repeat(120)}fr`)).toBe('en');
  });
});
