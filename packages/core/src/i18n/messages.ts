import { ConfigurationError } from '../errors.js';
import { checkOptionKeys } from '../option-keys.js';
import { english } from './en/index.js';
import { french } from './fr/index.js';
import type { MessageValue } from './message-value.js';
import { negotiateLocale } from './negotiate-locale.js';

/** A key of the catalog (`'error.throttled'`, `'views.signIn.title'`, …). */
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
   * (start from a copy of `BUILT_IN_CATALOGS.en`). Unknown keys are refused at start-up.
   * @default {}
   */
  readonly locales?: Readonly<Record<string, Partial<Catalog>>>;
}

const LOCALE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const PLURAL_CATEGORIES = new Set(['zero', 'one', 'two', 'few', 'many', 'other']);

function isMessageValue(value: unknown): value is MessageValue {
  if (typeof value === 'string') return true;
  if (value === null || typeof value !== 'object') return false;
  const entries = Object.entries(value);
  return typeof (value as { other?: unknown }).other === 'string' && entries.every(([category, text]) => PLURAL_CATEGORIES.has(category) && typeof text === 'string');
}

/** A locale and its lookup function. */
export interface Translator {
  /** The locale tag the messages come from. */
  readonly locale: string;
  readonly t: Translate;
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

  /** @throws ConfigurationError for an unknown option or key, a malformed message, or a new locale that lacks keys (named). */
  constructor(options: MessagesOptions = {}) {
    if (options === null || typeof options !== 'object') throw new ConfigurationError('messages must be an object such as { defaultLocale: "en", locales: { de } }');
    checkOptionKeys('messages', options, ['defaultLocale', 'locales']);
    const catalogs = new Map<string, Catalog>(Object.entries(BUILT_IN_CATALOGS));
    const keys = Object.keys(english) as MessageKey[];
    for (const [locale, given] of Object.entries(options.locales ?? {})) {
      if (!LOCALE_TAG.test(locale)) throw new ConfigurationError(`messages.locales: "${locale}" is not a locale tag such as "de" or "pt-BR"`);
      if (given === null || typeof given !== 'object') throw new ConfigurationError(`messages.locales.${locale} must be an object of messages by key`);
      checkOptionKeys(`messages.locales.${locale}`, given, keys);
      for (const [key, value] of Object.entries(given)) {
        if (!isMessageValue(value)) throw new ConfigurationError(`messages.locales.${locale}["${key}"] must be a string or { one, other } plural forms`);
      }
      const base = catalogs.get(locale);
      if (base === undefined) {
        const missing = keys.filter((key) => !Object.hasOwn(given, key));
        if (missing.length > 0) {
          throw new ConfigurationError(
            `messages.locales.${locale} lacks ${missing.length} message(s), e.g. ${missing.slice(0, 3).join(', ')}: give every key (start from a copy of BUILT_IN_CATALOGS.en)`,
          );
        }
      }
      catalogs.set(locale, Object.freeze({ ...(base ?? {}), ...given }) as Catalog);
    }
    const defaultLocale = options.defaultLocale ?? 'en';
    if (!catalogs.has(defaultLocale)) throw new ConfigurationError(`messages.defaultLocale "${defaultLocale}" has no catalog; the locales are ${[...catalogs.keys()].join(', ')}`);
    this.defaultLocale = defaultLocale;
    this.#catalogs = catalogs;
    this.locales = Object.freeze([defaultLocale, ...[...catalogs.keys()].filter((locale) => locale !== defaultLocale)]);
  }

  /** The best available locale for an `Accept-Language` header (or the default). */
  negotiate(acceptLanguage: unknown): string {
    return negotiateLocale(acceptLanguage, this.locales, this.defaultLocale);
  }

  /** The lookups of `locale` (an available tag; anything else gives the default locale's). */
  translator(locale?: string | null): Translator {
    const tag = typeof locale === 'string' && this.#catalogs.has(locale) ? locale : this.defaultLocale;
    const catalog = this.#catalogs.get(tag)!;
    const plurals = new Intl.PluralRules(tag);
    const t: Translate = (key, params = {}) => {
      const value: MessageValue | undefined = catalog[key];
      if (value === undefined) return key;
      const text = typeof value === 'string' ? value : (value[plurals.select(Number(params.count ?? 0)) as keyof typeof value] ?? value.other);
      return text.replace(PLACEHOLDER, (placeholder, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : placeholder));
    };
    return Object.freeze({ locale: tag, t });
  }
}
