/** Text safe for a terminal: control characters (escape sequences) become U+FFFD. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}

/** A camelCase key as lower-case words: `backedUp` → `backed up`. */
export function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
