/** A row id in a form or query (`browser=12`, `before=345`): a positive integer, else `null`. */
export function rowId(value: unknown): number | null {
  return typeof value === 'string' && /^[1-9][0-9]{0,14}$/.test(value) ? Number(value) : null;
}

/** A form's text field (a device's persistent id, a session id): a non-empty string of at most `max` characters, else `null`. */
export function formText(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : null;
}
