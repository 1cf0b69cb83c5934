import { ConfigurationError } from '../errors.js';
import { checkOptionKeys } from '../option-keys.js';
import { english } from './en/index.js';
import { french } from './fr/index.js';
import { formatMessage, isMessageValue, placeholdersOf } from './message-format.js';
import type { MessageValue } from './message-value.js';
import { lookupLocale, negotiateLocale } from './negotiate-locale.js';

/** A key of the catalog (`'error.throttled'`, `'form.invalid_token'`, …). */
export type MessageKey = keyof typeof english;

/** A complete locale: a message for every key. */
export type Catalog = { readonly [K in MessageKey]: MessageValue };

/** The values of a message's `{name}` placeholders; `count` also picks a plural form. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** Looks a message up in one locale and fills its placeholders. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The locales otpkit ships, complete: English and French. */
export const BUILT_IN_CATALOGS: Readonly<Record<string, Catalog>> = Object.freeze({ en: english, fr: french });

/** The `messages` option of `createOtp`. */
export interface MessagesOptions {
  /** The locale used when a request names none that is available. @default 'en' */
  readonly defaultLocale?: string;
  /**
   * Messages by locale tag (`'de'`, `'pt-BR'`). For a built-in locale (`en`, `fr`), the messages
   * given replace its own (your wording, your mail templates); any other locale must give every key
   * (start from a copy of `BUILT_IN_CATALOGS.en`). Unknown keys, placeholders the English message
   * does not have, and plural forms for a message without a count are refused at start-up.
   * @default {}
   */
  readonly locales?: Readonly<Record<string, Partial<Catalog>>>;
}

/** A locale and its lookup function. */
export interface Translator {
  /** The locale tag the messages come from. */
  readonly locale: string;
  /** A message of this locale, its `{name}` placeholders filled from `params`. */
  readonly t: Translate;
}

const KEYS = Object.freeze(Object.keys(english) as MessageKey[]);

/** The canonical form of a locale tag (`pt-br` → `pt-BR`). @throws ConfigurationError for anything else. */
function canonicalTag(tag: unknown, where: string): string {
  try {
    if (typeof tag === 'string' && /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/.test(tag)) return Intl.getCanonicalLocales(tag)[0]!;
  } catch {
    // An invalid tag, reported below.
  }
  throw new ConfigurationError(`${where}: "${String(tag)}" is not a locale tag such as "de" or "pt-BR"`);
}

/**
 * The account notices, which the email plugin's own `context` (`{ appName: 'Acme' }`) fills too, so
 * they may use any placeholder. (A code's mail or text may not: a misspelt `{token}` would send a
 * message without the code; the plugin's `subject`/`text` options take its context.)
 */
const CONTEXT_FILLED = /^notices\./;

/**
 * Checks an application's messages for one locale: known keys; strings or plural forms; no
 * placeholder the English message lacks (it would never be filled), except in the account notices
 * (filled from the email plugin's `context` too); plural forms only where the English message is plural (only
 * those are given a `count`). @throws ConfigurationError
 */
function checkMessages(locale: string, given: unknown): asserts given is Partial<Catalog> {
  const where = `messages.locales.${locale}`;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw new ConfigurationError(`${where} must be an object of messages by key`);
  checkOptionKeys(where, given, KEYS);
  for (const [key, value] of Object.entries(given)) {
    if (!isMessageValue(value)) throw new ConfigurationError(`${where}["${key}"] must be a string or plural forms such as { one: '…', other: '…' }`);
    const original = english[key as MessageKey];
    if (typeof value !== 'string' && typeof original === 'string') throw new ConfigurationError(`${where}["${key}"] is given no count: give a string, not plural forms`);
    const allowed = placeholdersOf(original);
    const unknown = CONTEXT_FILLED.test(key) ? [] : placeholdersOf(value).filter((name) => !allowed.includes(name));
    if (unknown.length > 0) {
      const known = allowed.length === 0 ? 'none' : allowed.map((name) => `{${name}}`).join(', ');
      throw new ConfigurationError(`${where}["${key}"] uses {${unknown[0]}}, which is never filled; its placeholders are ${known}`);
    }
  }
}

/**
 * The message catalog of an otp instance (`otp.messages`): the built-in locales with the
 * application's changes and additions, the locale negotiation, and lookups.
 */
export class Messages {
  /** The available locale tags, the default first. */
  readonly locales: readonly string[];
  /** The locale used when none is asked for or available. */
  readonly defaultLocale: string;
  readonly #catalogs: ReadonlyMap<string, Catalog>;
  readonly #translators = new Map<string, Translator>();

  /** @throws ConfigurationError for an unknown option or key, a malformed message, or a new locale that lacks keys (named). */
  constructor(options: MessagesOptions = {}) {
    if (options === null || typeof options !== 'object') throw new ConfigurationError('messages must be an object such as { defaultLocale: "en", locales: { de } }');
    checkOptionKeys('messages', options, ['defaultLocale', 'locales']);
    const { locales = {} } = options;
    if (locales === null || typeof locales !== 'object' || Array.isArray(locales)) throw new ConfigurationError('messages.locales must be an object of messages by locale tag, such as { de: { … } }');
    const catalogs = new Map<string, Catalog>(Object.entries(BUILT_IN_CATALOGS));
    const seen = new Set<string>();
    for (const [tag, given] of Object.entries(locales)) {
      const locale = canonicalTag(tag, 'messages.locales');
      if (seen.has(locale)) throw new ConfigurationError(`messages.locales gives "${locale}" twice (tags are compared in canonical form)`);
      seen.add(locale);
      checkMessages(locale, given);
      const base = catalogs.get(locale);
      const missing = base === undefined ? KEYS.filter((key) => !Object.hasOwn(given, key)) : [];
      if (missing.length > 0) {
        throw new ConfigurationError(
          `messages.locales.${locale} lacks ${missing.length} message(s), e.g. ${missing.slice(0, 3).join(', ')}: give every key (start from a copy of BUILT_IN_CATALOGS.en)`,
        );
      }
      catalogs.set(locale, Object.freeze({ ...base, ...given }) as Catalog);
    }
    const defaultLocale = canonicalTag(options.defaultLocale ?? 'en', 'messages.defaultLocale');
    if (!catalogs.has(defaultLocale)) throw new ConfigurationError(`messages.defaultLocale "${defaultLocale}" has no catalog; the locales are ${[...catalogs.keys()].join(', ')}`);
    this.defaultLocale = defaultLocale;
    this.#catalogs = catalogs;
    this.locales = Object.freeze([defaultLocale, ...[...catalogs.keys()].filter((locale) => locale !== defaultLocale)]);
  }

  /** The best available locale for an `Accept-Language` header (or the default). */
  negotiate(acceptLanguage: unknown): string {
    return negotiateLocale(acceptLanguage, this.locales, this.defaultLocale);
  }

  /** The available locale a tag names, in any case or by a shorter prefix (`fr-CA` → `fr`), or `undefined`. */
  match(tag: unknown): string | undefined {
    return typeof tag === 'string' ? lookupLocale(tag, this.locales) : undefined;
  }

  /**
   * The lookups of `locale` (an available tag, as {@link Messages.match} finds it; anything else,
   * such as a challenge context's missing `locale`, gives the default locale's).
   */
  translator(locale?: unknown): Translator {
    const tag = this.match(locale) ?? this.defaultLocale;
    let translator = this.#translators.get(tag);
    if (translator === undefined) {
      const catalog = this.#catalogs.get(tag)!;
      const plurals = new Intl.PluralRules(tag);
      const t: Translate = (key, params = {}) => {
        return Object.hasOwn(catalog, key) ? formatMessage(catalog[key], params, plurals) : key;
      };
      translator = Object.freeze({ locale: tag, t });
      this.#translators.set(tag, translator);
    }
    return translator;
  }
}
