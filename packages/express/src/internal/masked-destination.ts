/** What stands for the hidden characters of a masked destination. */
const HIDDEN = '•••';

/**
 * A destination (a device's phone number or address) as a page may show it to the user it belongs
 * to, enough to recognise it and never the whole of it: a phone number keeps its last two digits
 * (`•••23`), an address the first character of its local part and its domain
 * (`a•••@example.com`). A value too short to keep anything of is all hidden.
 */
export function maskDestination(destination: string): string {
  const at = destination.lastIndexOf('@');
  if (at > 0 && at < destination.length - 1) return `${Array.from(destination)[0]}${HIDDEN}@${destination.slice(at + 1)}`;
  const digits = destination.replace(/\D/g, '');
  return digits.length >= 6 ? `${HIDDEN}${digits.slice(-2)}` : HIDDEN;
}
