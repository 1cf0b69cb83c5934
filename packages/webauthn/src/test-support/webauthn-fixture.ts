import { beforeAll, expect } from 'vitest';
import { createOtp, type OtpOptions, type RefusalReason, type TypedOtp } from '@otpkit/core';
import { describeOnEachBackend, FakeClock, type TestDatabase } from '@otpkit/core/testing';
import type { WebAuthnOptions } from '../options.js';
import { webauthn } from '../webauthn.js';
import type { WebAuthnDevice } from '../webauthn-device.js';

/** The relying party every test runs as: the soft authenticator's default origin is its origin. */
export const RELYING_PARTY = Object.freeze({ rpName: 'Acme', rpID: 'acme.example', origins: 'https://acme.example' });

/** Origins a page of another site, or of the site on another scheme or port, reports: none is the relying party's. */
export const FOREIGN_ORIGINS: readonly string[] = Object.freeze(['https://evil.example', 'http://acme.example', 'https://acme.example:8443', 'https://acme.example.evil.example']);

/** rpIDs that are not the relying party's: another site, a host under it, its parent domain. */
export const FOREIGN_RP_IDS: readonly string[] = Object.freeze(['evil.example', 'login.acme.example', 'example']);

/** An otp instance with one webauthn plugin. */
export type WebAuthnOtp = TypedOtp<readonly [ReturnType<typeof webauthn>]>;

/** What a refused attempt must leave as it was: the credential, its counter, its pending challenge, its confirmation. */
export interface CredentialState {
  readonly confirmed: boolean;
  readonly credentialId: string | null;
  readonly publicKey: string | null;
  readonly signCount: number;
  readonly userVerified: boolean;
  readonly challenge: string | null;
  readonly challengeExpiresAt: number | null;
  readonly challengeSession: string | null;
  readonly lastUsedAt: number | null;
}

/** A database of its own per backend, a fake clock, and otp instances with a webauthn plugin over them. */
export interface WebAuthnFixture {
  readonly clock: FakeClock;
  readonly database: TestDatabase;
  /** A new otp instance on the fixture's database and clock: the relying party with `plugin`'s options, and `core`'s. */
  otp(plugin?: Partial<WebAuthnOptions>, core?: Omit<Partial<OtpOptions>, 'knex' | 'devices'>): WebAuthnOtp;
  /** A user id no other test of the block uses. */
  newUser(): string;
  /** `device` as stored now. */
  reload(otp: WebAuthnOtp, device: WebAuthnDevice): Promise<WebAuthnDevice>;
  /** The stored {@link CredentialState} of `device`. */
  stateOf(otp: WebAuthnOtp, device: WebAuthnDevice): Promise<CredentialState>;
  /**
   * Runs `attempt` (a verification, a confirmation, a passkey sign-in) and expects it refused for
   * `reason`, with `device`'s {@link CredentialState} as it was before.
   */
  refusedWithoutChange(otp: WebAuthnOtp, device: WebAuthnDevice, reason: RefusalReason, attempt: () => Promise<{ readonly ok: boolean }>): Promise<void>;
}

/**
 * Registers `define` once per enabled backend (SQLite always; PostgreSQL and MariaDB when their
 * variables are set), with a database of its own, migrated before the first test.
 */
export function describeOnBackends(title: string, define: (fixture: WebAuthnFixture) => void): void {
  describeOnEachBackend(
    title,
    (block) => {
      const clock = new FakeClock();
      let users = 0;
      const fixture: WebAuthnFixture = {
        clock,
        get database() {
          return block.database;
        },
        otp: (plugin = {}, core = {}) =>
          createOtp({ knex: block.database.knex, devices: [webauthn({ ...RELYING_PARTY, ...plugin })], clock: clock.now, logger: { warn: () => {} }, ...core }),
        newUser: () => `user-${++users}`,
        async reload(otp, device) {
          const current = await otp.deviceFromPersistentId<WebAuthnDevice>(device.persistentId);
          if (current === null) throw new Error(`${device.persistentId} is gone`);
          return current;
        },
        async stateOf(otp, device) {
          const { confirmed, credentialId, publicKey, signCount, userVerified, challenge, challengeExpiresAt, challengeSession, lastUsedAt } = await fixture.reload(otp, device);
          return { confirmed, credentialId, publicKey, signCount, userVerified, challenge, challengeExpiresAt, challengeSession, lastUsedAt };
        },
        async refusedWithoutChange(otp, device, reason, attempt) {
          const before = await fixture.stateOf(otp, device);
          expect(await attempt()).toMatchObject({ ok: false, reason });
          expect(await fixture.stateOf(otp, device)).toEqual(before);
        },
      };
      beforeAll(async () => {
        await fixture.otp().migrate();
      });
      define(fixture);
    },
    { poolSize: 12 },
  );
}
