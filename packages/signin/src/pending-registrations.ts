import { randomInt } from 'node:crypto';
import { stored } from '@otpkit/core';
import type { Recipient } from './address.js';
import { PENDING_TABLE } from './tables.js';
import type { SignInStore } from './store.js';

/** Wrong codes a pending registration takes before it is deleted. */
export const MAX_REGISTRATION_ATTEMPTS = 5;

/** What spending a registration code found: the right code (now spent), a wrong one, or no live registration. */
export type SpendResult = 'spent' | 'wrong' | 'none';

interface PendingRow {
  readonly id: number;
  readonly code_digest: string;
  readonly attempts: number;
  readonly expires_at: number | string;
}

/**
 * Registrations waiting for the code sent to an unknown address: one row per address, holding
 * keyed digests of the address and the code, the expiry and the wrong attempts.
 */
export class PendingRegistrations {
  readonly #store: SignInStore;

  constructor(store: SignInStore) {
    this.#store = store;
  }

  /** A new random code of `digits` digits for `recipient`, valid until `validUntil`, replacing any pending one. */
  async issue(recipient: Recipient, digits: number, validUntil: number): Promise<string> {
    const code = String(randomInt(0, 10 ** digits)).padStart(digits, '0');
    const digest = this.#store.digests.address(recipient);
    const row = { address_digest: digest, code_digest: this.#store.digests.code(recipient, code), attempts: 0, created_at: this.#store.clock(), expires_at: validUntil };
    await stored(() =>
      this.#store.knex.transaction(async (trx) => {
        // A row stored under a key since rotated away is the same address: replaced too.
        await trx(PENDING_TABLE).delete().whereIn('address_digest', this.#store.digests.addressCandidates(recipient)).whereNot('address_digest', digest);
        await trx(PENDING_TABLE).insert(row).onConflict('address_digest').merge();
      }),
    );
    return code;
  }

  /** Withdraws the pending registration of `recipient` (its code could not be sent). */
  async withdraw(recipient: Recipient): Promise<void> {
    await stored(() => this.#store.knex(PENDING_TABLE).delete().whereIn('address_digest', this.#store.digests.addressCandidates(recipient)));
  }

  /**
   * Spends `code` for `recipient` under the row's lock: the right code deletes the row (`spent`:
   * racing calls find it gone), a wrong one counts an attempt and deletes the row at the last.
   */
  async spend(recipient: Recipient, code: string): Promise<SpendResult> {
    return stored(() =>
      this.#store.knex.transaction(async (trx) => {
        const row = (await trx(PENDING_TABLE)
          .select('id', 'code_digest', 'attempts', 'expires_at')
          .whereIn('address_digest', this.#store.digests.addressCandidates(recipient))
          .orderBy('id', 'desc')
          .first()
          .forUpdate()) as PendingRow | undefined;
        if (row === undefined || Number(row.expires_at) <= this.#store.clock()) return 'none';
        if (this.#store.digests.codeMatches(recipient, code, row.code_digest)) {
          const deleted = await trx(PENDING_TABLE).delete().where('id', row.id);
          return deleted === 1 ? 'spent' : 'none';
        }
        if (row.attempts + 1 >= MAX_REGISTRATION_ATTEMPTS) await trx(PENDING_TABLE).delete().where('id', row.id);
        else await trx(PENDING_TABLE).update({ attempts: row.attempts + 1 }).where('id', row.id);
        return 'wrong';
      }),
    );
  }

  /** Deletes the expired registrations; how many. */
  async sweep(): Promise<number> {
    return stored(() => this.#store.knex(PENDING_TABLE).delete().where('expires_at', '<=', this.#store.clock()));
  }
}
