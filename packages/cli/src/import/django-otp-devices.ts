import type { Knex } from 'knex';
import type { ImportedDevice } from '@otpkit/core';
import { epochMs } from './source-database.js';
import type { SourceEntry } from './source-entry.js';

type Row = Readonly<Record<string, unknown>>;

/** The tables an import reads, by the otpkit type their devices become. */
export const DJANGO_OTP_TABLES = Object.freeze({
  totp: 'otp_totp_totpdevice',
  hotp: 'otp_hotp_hotpdevice',
  static: 'otp_static_staticdevice',
  staticTokens: 'otp_static_statictoken',
  email: 'otp_email_emaildevice',
  phone: 'two_factor_phonedevice',
  users: 'auth_user',
});

/** A number column (pg returns bigints as text); anything else stays as it is, for the plugin to refuse. */
const numberOf = (value: unknown): unknown => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

/** A boolean column: pg's boolean, MySQL's and SQLite's 0 or 1. */
const booleanOf = (value: unknown): boolean => value === true || value === 1 || value === '1' || value === 't';

/**
 * What every django-otp device carries besides its plugin's state: the source id
 * (`django-otp:<type>:<id>`), the name, the confirmed flag, the throttling state, and the times
 * django-otp 1.3+ keeps (older tables have none).
 */
function common(prefix: string, type: string, row: Row): Omit<ImportedDevice, 'state'> {
  const name = typeof row.name === 'string' && row.name.trim() !== '' ? row.name : undefined;
  return {
    type,
    source: `${prefix}:${String(row.id)}`,
    ...(name === undefined ? {} : { name }),
    confirmed: booleanOf(row.confirmed),
    createdAt: epochMs(row.created_at),
    lastUsedAt: epochMs(row.last_used_at),
    throttlingFailureCount: numberOf(row.throttling_failure_count ?? 0) as number,
    throttlingFailureTimestamp: epochMs(row.throttling_failure_timestamp),
  };
}

const entry = (row: Row, device: ImportedDevice): SourceEntry => ({ sourceUser: String(row.user_id), device });

/** django-otp's keys are hex; its OATH devices always use HMAC-SHA1. */
const oathKey = (row: Row) => ({ key: typeof row.key === 'string' ? row.key.trim() : row.key, algorithm: 'sha1', digits: numberOf(row.digits), tolerance: numberOf(row.tolerance) });

/** Rows of a table ordered by id, or none when the table does not exist. */
async function rowsOf(knex: Knex, table: string): Promise<Row[]> {
  return (await knex.schema.hasTable(table)) ? ((await knex(table).select('*').orderBy('id')) as Row[]) : [];
}

/**
 * Reads every device of django-otp's plugins (TOTP, HOTP, static, email) and of
 * django-two-factor-auth's phone devices from the tables that exist, in the form
 * `otp.importDevices` takes: TOTP keeps its step, t0, digits, tolerance, drift and last_t
 * (`lastT`), so the same codes are accepted and a used one refused; HOTP its counter and
 * tolerance; static devices their unused tokens (in clear there, digested by the import); email
 * devices their address, else the Django user's; phone devices their number when they send text
 * messages (voice calls are skipped: otpkit sends no calls).
 * @returns the entries, or `null` when the database has none of these tables.
 */
export async function readDjangoOtpDevices(knex: Knex): Promise<SourceEntry[] | null> {
  const { totp, hotp, static: staticDevices, email, phone } = DJANGO_OTP_TABLES;
  const found = await Promise.all([totp, hotp, staticDevices, email, phone].map((table) => knex.schema.hasTable(table)));
  if (!found.some(Boolean)) return null;
  const entries: SourceEntry[] = [];
  for (const row of await rowsOf(knex, totp)) {
    const state = { ...oathKey(row), step: numberOf(row.step), t0: numberOf(row.t0), drift: numberOf(row.drift), lastT: numberOf(row.last_t) };
    entries.push(entry(row, { ...common('django-otp:totp', 'totp', row), state }));
  }
  for (const row of await rowsOf(knex, hotp)) {
    entries.push(entry(row, { ...common('django-otp:hotp', 'hotp', row), state: { ...oathKey(row), counter: numberOf(row.counter) } }));
  }
  const tokens = (await rowsOf(knex, DJANGO_OTP_TABLES.staticTokens)).map((row) => ({ device: String(row.device_id), token: row.token }));
  for (const row of await rowsOf(knex, staticDevices)) {
    const codes = tokens.filter((token) => token.device === String(row.id)).map((token) => token.token);
    entries.push(entry(row, { ...common('django-otp:static', 'static', row), state: { codes } }));
  }
  const emailDevices = await rowsOf(knex, email);
  const userEmails = emailDevices.some((row) => row.email === null || row.email === '') ? await djangoUserEmails(knex) : new Map<string, string>();
  for (const row of emailDevices) {
    const email = typeof row.email === 'string' && row.email !== '' ? row.email : (userEmails.get(String(row.user_id)) ?? null);
    entries.push(entry(row, { ...common('django-otp:email', 'email', row), state: { email } }));
  }
  for (const row of await rowsOf(knex, phone)) {
    const device = common('two-factor:phone', 'sms', row);
    if (row.method === 'sms') entries.push(entry(row, { ...device, state: { number: row.number } }));
    else entries.push({ sourceUser: String(row.user_id), source: device.source, type: 'sms', skip: 'unsupported', message: `method ${String(row.method)}: otpkit sends text messages, not voice calls` });
  }
  return entries;
}

/** Django users' addresses (`auth_user.email`) by id; none when the project has a custom user table. */
async function djangoUserEmails(knex: Knex): Promise<Map<string, string>> {
  const rows = await rowsOf(knex, DJANGO_OTP_TABLES.users);
  return new Map(rows.filter((row) => typeof row.email === 'string' && row.email !== '').map((row) => [String(row.id), row.email as string]));
}
