import type { Clock } from '@otpkit/core';
import type { Knex } from 'knex';
import type { SignInDigests } from './digests.js';

/** What the sign-in's tables are reached through: the otp instance's knex and clock, and the digests stored in them. */
export interface SignInStore {
  readonly knex: Knex;
  readonly clock: Clock;
  readonly digests: SignInDigests;
}
