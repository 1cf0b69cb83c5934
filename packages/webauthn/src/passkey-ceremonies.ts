import type { Knex } from 'knex';
import { createOtpTable, type OtpMigration } from '@otpkit/core';

/** The table of passkey sign-in challenges: no user yet, so they cannot live on a device row. */
export const PASSKEY_CEREMONY_TABLE = 'otp_webauthn_ceremony';

/**
 * The plugin's second schema step: an index to find a credential by id (passkey sign-in) and the
 * table of passkey sign-in challenges (each single use, expiring, bound to a session's digest).
 */
export const passkeyCeremonyMigration: OtpMigration = Object.freeze({
  name: '0002_passkey_ceremonies',
  async up(knex: Knex) {
    await knex.schema.alterTable('otp_webauthn_device', (table) => table.index(['credential_id'], 'otp_webauthn_device_credential_id'));
    await createOtpTable(knex, PASSKEY_CEREMONY_TABLE, (table) => {
      table.increments('id').primary();
      table.string('challenge', 64).notNullable().unique();
      table.string('session', 64).nullable();
      table.bigInteger('expires_at').notNullable().index();
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTable(PASSKEY_CEREMONY_TABLE);
    await knex.schema.alterTable('otp_webauthn_device', (table) => table.dropIndex(['credential_id'], 'otp_webauthn_device_credential_id'));
  },
});

/** A pending passkey sign-in challenge. */
export interface PasskeyCeremony {
  readonly challenge: string;
  /** The SHA-256 of the session binding, or `null`. */
  readonly session: string | null;
  readonly expiresAt: number;
}

/** Stores a new ceremony, after deleting the expired ones. */
export async function storeCeremony(knex: Knex, ceremony: PasskeyCeremony, now: number): Promise<void> {
  await knex(PASSKEY_CEREMONY_TABLE).delete().where('expires_at', '<=', now);
  await knex(PASSKEY_CEREMONY_TABLE).insert({ challenge: ceremony.challenge, session: ceremony.session, expires_at: ceremony.expiresAt });
}

/**
 * Spends the ceremony of `challenge` if it is pending, unexpired and bound to `session` (or to no
 * session when `session` is `null`): one DELETE, so of racing callers exactly one spends it.
 */
export async function spendCeremony(knex: Knex, challenge: string, session: string | null, now: number): Promise<boolean> {
  const query = knex(PASSKEY_CEREMONY_TABLE).delete().where('challenge', challenge).andWhere('expires_at', '>', now);
  if (session === null) query.whereNull('session');
  else query.where('session', session);
  return (await query) === 1;
}
