/**
 * Characters that must not appear in text otpkit shows back to people (device names, sender
 * names): lone surrogates (`\p{Cs}` in a `u` regex), C0 and C1 controls (NUL, TAB, CR, LF, ESC,
 * DEL…), line and paragraph separators, bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E,
 * U+2066–U+2069), which reorder what a reader sees, and invisible characters that make two names
 * look alike (U+00AD, U+180E, U+200B, U+2060–U+2064, U+FEFF, U+FFF9–U+FFFB). Zero-width joiners
 * (U+200C, U+200D) stay: scripts and emoji need them.
 */
const UNSAFE = /[\p{Cc}\p{Cs}\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u00AD\u180E\u200B\u2060-\u2064\uFEFF\uFFF9-\uFFFB]/u;

/**
 * Whether `text` is printable: well-formed UTF-16 (no lone surrogate) without control, bidi or
 * invisible formatting characters. Ordinary spaces, letters of every script, emoji and joiners pass.
 */
export function isPrintableText(text: string): boolean {
  return !UNSAFE.test(text);
}
