// otpkit.config.mjs: what `otpkit` commands run against (here SQLite; use client 'pg' or 'mysql2' with a URL).
import knexFactory from 'knex';
import { totp } from '@otpkit/totp';
import { staticTokens } from '@otpkit/static';

export default {
  knex: knexFactory({ client: 'better-sqlite3', connection: { filename: process.env.APP_DB }, useNullAsDefault: true }),
  devices: [totp({ issuer: 'Acme' }), staticTokens()],
  users: { table: 'accounts', usernameColumn: 'login' },
  secretKeys: { '1': process.env.OTP_KEY_1 },
};
