/**
 * The read-replica example of docs/read-replicas.md, run by the replica test against a real
 * streaming replica.
 * @module
 */
import { createOtp } from '@otpkit/core';
import { staticTokens } from '@otpkit/static';
import { totp } from '@otpkit/totp';
import knexFactory from 'knex';

/** An otpkit instance that writes and verifies on the primary and lets listings and otpMiddleware's session check read a replica. */
export function replicatedOtp(env: Readonly<Record<string, string | undefined>>) {
  // #region replica
  const otp = createOtp({
    knex: knexFactory({ client: 'pg', connection: env.DATABASE_URL }),
    // Only reads that ask for it ({ replica: true }) go here: otpMiddleware's check of a verified
    // session and GET /devices. Verifications, throttles and every write stay on the primary.
    readKnex: knexFactory({ client: 'pg', connection: env.DATABASE_REPLICA_URL }),
    devices: [totp({ issuer: 'Acme' }), staticTokens()],
    secretKeys: { '1': env.OTP_KEY_1 },
  });
  // #endregion
  return otp;
}
