import { randomBytes } from 'node:crypto';
import { stored } from '@otpkit/core';
import { LINK_TABLE } from './tables.js';
import type { SignInStore } from './store.js';

/** A link token: 32 random bytes, base64url. */
const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** What a magic link signs in: a user through one of their email devices, for a purpose. */
export interface LinkGrant {
  readonly userId: string;
  /** The email device's persistent id. */
  readonly deviceId: string;
  readonly purpose: 'login' | 'second-factor';
}

/** What opening a link found: its grant (the link is now spent), `confirm` (another browser; not spent) or `invalid`. */
export type OpenResult = LinkGrant | 'confirm' | 'invalid';

interface LinkRow {
  readonly id: number;
  readonly user_id: string;
  readonly device_id: string;
  readonly purpose: 'login' | 'second-factor';
  readonly browser_digest: string | null;
  readonly expires_at: number | string;
}

/** The magic links: stored as keyed digests of their tokens and of the browsers they are bound to. */
export class MagicLinks {
  readonly #store: SignInStore;

  constructor(store: SignInStore) {
    this.#store = store;
  }

  /**
   * Stores a new link for `grant`, valid until `expiresAt`, bound to `browser` (`null`: any
   * browser), and returns its token: shown once, in the mail.
   */
  async create(grant: LinkGrant, browser: string | null, expiresAt: number): Promise<{ readonly token: string; readonly id: number }> {
    const token = randomBytes(32).toString('base64url');
    const row = {
      token_digest: this.#store.digests.linkToken(token),
      user_id: grant.userId,
      device_id: grant.deviceId,
      purpose: grant.purpose,
      browser_digest: browser === null ? null : this.#store.digests.browser(browser),
      created_at: this.#store.clock(),
      expires_at: expiresAt,
    };
    const [inserted] = await stored(() => this.#store.knex(LINK_TABLE).insert(row, ['id']));
    const id = typeof inserted === 'object' ? Number((inserted as { id: unknown }).id) : Number(inserted);
    return { token, id };
  }

  /** Deletes a link that could not be sent. */
  async withdraw(id: number): Promise<void> {
    await stored(() => this.#store.knex(LINK_TABLE).delete().where('id', id));
  }

  /**
   * Opens a link. A live link opened by the browser it is bound to (or anywhere when `confirm`, or
   * when it is bound to none) is spent by one DELETE: of racing openings, the one whose DELETE
   * removed the row wins. Opened by another browser without `confirm`, it stays as it was.
   */
  async open(token: unknown, browser: string | null, confirm: boolean): Promise<OpenResult> {
    if (typeof token !== 'string' || !LINK_TOKEN.test(token)) return 'invalid';
    const now = this.#store.clock();
    const row = (await stored(() =>
      this.#store.knex(LINK_TABLE)
        .select('id', 'user_id', 'device_id', 'purpose', 'browser_digest', 'expires_at')
        .whereIn('token_digest', this.#store.digests.linkTokenCandidates(token))
        .first(),
    )) as LinkRow | undefined;
    if (row === undefined || Number(row.expires_at) <= now) return 'invalid';
    const sameBrowser = row.browser_digest === null || (browser !== null && this.#store.digests.browserMatches(browser, row.browser_digest));
    if (!sameBrowser && !confirm) return 'confirm';
    const deleted = await stored(() => this.#store.knex(LINK_TABLE).delete().where('id', row.id).where('expires_at', '>', now));
    return deleted === 1 ? { userId: row.user_id, deviceId: row.device_id, purpose: row.purpose } : 'invalid';
  }

  /** Deletes the expired links; how many. */
  async sweep(): Promise<number> {
    return stored(() => this.#store.knex(LINK_TABLE).delete().where('expires_at', '<=', this.#store.clock()));
  }
}
