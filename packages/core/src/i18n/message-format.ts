import type { MessageValue, PluralMessage } from './message-value.js';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const PLURAL_CATEGORIES: ReadonlySet<string> = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

/** Whether `value` is a message: a string, or plural forms (`other` and known categories, all strings). */
export function isMessageValue(value: unknown): value is MessageValue {
  if (typeof value === 'string') return true;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return typeof (value as { other?: unknown }).other === 'string' && entries.every(([category, text]) => PLURAL_CATEGORIES.has(category) && typeof text === 'string');
}

/** The texts of a message: the string, or each plural form. */
export function textsOf(value: MessageValue): string[] {
  return typeof value === 'string' ? [value] : Object.values(value as PluralMessage).filter((text): text is string => typeof text === 'string');
}

/** The `{name}` placeholders of a message, sorted, without repeats (over every plural form). */
export function placeholdersOf(value: MessageValue): string[] {
  const names = new Set<string>();
  for (const text of textsOf(value)) for (const [, name] of text.matchAll(PLACEHOLDER)) names.add(name!);
  return [...names].sort();
}

/**
 * The text of a message for `params`: the plural form `rules` select for `params.count` (`other`
 * when the message lacks it), its `{name}` placeholders filled from `params`; a placeholder
 * without a value stays as it is.
 */
export function formatMessage(value: MessageValue, params: Readonly<Record<string, string | number>>, rules: Intl.PluralRules): string {
  const text = typeof value === 'string' ? value : (value[rules.select(Number(params.count ?? 0))] ?? value.other);
  return text.replace(PLACEHOLDER, (placeholder, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : placeholder));
}
