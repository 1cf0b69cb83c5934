import type { SecretBinding } from '../secret-box.js';

/** How many opened secrets a secret box keeps: a busy site's active devices, at ~100 bytes each. */
export const OPENED_SECRETS_KEPT = 10_000;

interface Opened {
  readonly binding: SecretBinding;
  readonly plaintext: string;
}

const sameBinding = (a: SecretBinding, b: SecretBinding) => a.id === b.id && a.userId === b.userId && a.column === b.column && a.table === b.table;

/**
 * The secrets a secret box opened lately, by sealed value, least recently used dropped first, so a
 * device verified again is not decrypted again. A sealed value carries a random IV, so it names
 * one seal of one secret; an entry answers only for the binding it was opened for. Held in the
 * box's private field: nothing a device, event or error carries reaches it.
 */
export class OpenedSecrets {
  readonly #entries = new Map<string, Opened>();
  readonly #capacity: number;

  constructor(capacity = OPENED_SECRETS_KEPT) {
    this.#capacity = capacity;
  }

  /** The plaintext `sealed` opened to for `binding`, or `undefined`. */
  get(sealed: string, binding: SecretBinding): string | undefined {
    const entry = this.#entries.get(sealed);
    if (entry === undefined || !sameBinding(entry.binding, binding)) return undefined;
    this.#entries.delete(sealed);
    this.#entries.set(sealed, entry);
    return entry.plaintext;
  }

  /** Remembers what `sealed` opened to for `binding`. */
  set(sealed: string, binding: SecretBinding, plaintext: string): void {
    this.#entries.delete(sealed);
    this.#entries.set(sealed, { binding: { ...binding }, plaintext });
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** Forgets every opened secret. */
  clear(): void {
    this.#entries.clear();
  }
}
