/**
 * A message of the catalog: a text with `{name}` placeholders, or one text per plural category
 * (`Intl.PluralRules`: `one` and `other` at least) chosen by the `count` parameter.
 */
export type MessageValue = string | PluralMessage;

/** One text per plural category; `other` is used for a category the locale names but the message lacks. */
export interface PluralMessage {
  readonly one: string;
  readonly other: string;
  readonly zero?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
}

/** The messages of one area of the catalog, keyed like its English original. */
export type AreaMessages<English> = { readonly [K in keyof English]: MessageValue };
