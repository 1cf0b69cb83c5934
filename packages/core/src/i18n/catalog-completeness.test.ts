import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { placeholdersOf } from './message-format.js';
import type { MessageValue } from './message-value.js';
import { BUILT_IN_CATALOGS, type MessageKey } from './messages.js';

const english = BUILT_IN_CATALOGS.en!;

/** Messages whose French is, rightly, the English words (checked by a reader, listed on purpose). */
const SAME_IN_FRENCH: ReadonlySet<MessageKey> = new Set(['admin.utcTime', 'admin.column.type', 'admin.column.action'] as MessageKey[]);
const keys = Object.keys(english) as MessageKey[];
const others = Object.entries(BUILT_IN_CATALOGS).filter(([locale]) => locale !== 'en');

/** The area files of a locale's folder, each module's one export: its messages. */
async function areasOf(locale: string): Promise<Map<string, Record<string, MessageValue>>> {
  const folder = fileURLToPath(new URL(`./${locale}/`, import.meta.url));
  const areas = new Map<string, Record<string, MessageValue>>();
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.ts') && name !== 'index.ts' && !name.endsWith('.test.ts'))) {
    const exports = Object.values((await import(`./${locale}/${file.replace(/\.ts$/, '.js')}`)) as Record<string, Record<string, MessageValue>>);
    expect(exports, `${locale}/${file} exports one area`).toHaveLength(1);
    areas.set(file, exports[0]!);
  }
  return areas;
}

/** A message's shape: its placeholders, and whether it has plural forms. */
const shapeOf = (value: MessageValue) => ({ plural: typeof value !== 'string', placeholders: placeholdersOf(value) });

describe('the built-in catalogs', () => {
  it('has a locale besides English', () => {
    expect(others.map(([locale]) => locale)).toContain('fr');
  });

  it.each(others)('%s has every English key and no other', (_locale, catalog) => {
    const missing = keys.filter((key) => !Object.hasOwn(catalog, key));
    const extra = Object.keys(catalog).filter((key) => !Object.hasOwn(english, key));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(others)('%s gives every message the placeholders and the plural shape of the English one', (_locale, catalog) => {
    const differing = keys.filter((key) => JSON.stringify(shapeOf(catalog[key])) !== JSON.stringify(shapeOf(english[key])));
    expect(differing).toEqual([]);
  });

  it.each(Object.entries(BUILT_IN_CATALOGS))('%s has no empty message and no message left in English (where the words differ)', (locale, catalog) => {
    const texts = (value: MessageValue) => (typeof value === 'string' ? [value] : Object.values(value));
    expect(keys.filter((key) => texts(catalog[key]).some((text) => text.trim() === ''))).toEqual([]);
    // A French message equal to the English one is a forgotten translation, unless it has no words to translate.
    const untranslatable = (text: string) => !/[A-Za-z]{3,}/.test(text.replace(/\{\w+\}/g, '').replace(/<[^>]*>/g, '').replace(/\b(SMS|OTP|JSON)\b/g, ''));
    const same = keys.filter((key) => catalog[key] === english[key] && !texts(english[key]).every(untranslatable));
    if (locale !== 'en') expect(same.filter((key) => locale !== 'fr' || !SAME_IN_FRENCH.has(key))).toEqual([]);
  });

  it('has its areas in files of the same names in every locale, each key in one area only', async () => {
    const englishAreas = await areasOf('en');
    const areaKeys = [...englishAreas.values()].flatMap((area) => Object.keys(area));
    expect(areaKeys.length, 'a key defined in two areas').toBe(new Set(areaKeys).size);
    expect(new Set(areaKeys)).toEqual(new Set(keys));
    for (const [locale] of others) {
      const areas = await areasOf(locale);
      expect([...areas.keys()].sort()).toEqual([...englishAreas.keys()].sort());
      for (const [file, area] of englishAreas) expect(Object.keys(areas.get(file)!).sort(), `${locale}/${file}`).toEqual(Object.keys(area).sort());
    }
  });
});
