/**
 * A message of the catalog: a text with `{name}` placeholders, or one text per plural category
 * (`Intl.PluralRules`) chosen by the `count` parameter.
 */
export type MessageValue = string | PluralMessage;

/**
 * One text per plural category of `Intl.PluralRules` for the locale (English and French use `one`
 * and `other`); `other` is required and used for a category the message lacks.
 */
export interface PluralMessage {
  readonly other: string;
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
}

/** The messages of one area of the catalog, keyed like its English original. */
export type AreaMessages<English> = { readonly [K in keyof English]: MessageValue };
