import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { ConfigurationError, createOtp, isOtpError, type AuditOptions, type Logger, type Otp, type OtpOptions, type SecretKeys } from '@otpkit/core';
import { NoConfigError } from './cli-error.js';
import { findConfigFile, importConfigModule } from './config-module.js';
import { knexConfigFromUrl } from './database-url.js';
import { oneLine } from './describe-error.js';
import { installedPlugins } from './installed-plugins.js';

/** Where a command finds its configuration. */
export interface ConfigSource {
  /** `--config PATH`, relative to `cwd`. */
  readonly configPath?: string | undefined;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * `otpkit migrate`: a missing SQLite file may be created, and `DATABASE_URL` mode uses every
   * installed plugin, not only those whose tables exist.
   */
  readonly create: boolean;
  /** `--schema`: PostgreSQL's search path in `DATABASE_URL` mode, ahead of `OTPKIT_DATABASE_SCHEMA` and the URL's `?schema=`. */
  readonly schema?: string | undefined;
  /** Where the otp instance's warnings go. */
  readonly logger: Logger;
  /** Where `DATABASE_URL` mode says which plugins it found and which it left out. */
  readonly note: (line: string) => void;
}

/** A loaded otp instance and how to release its database connections. */
export interface LoadedConfig {
  readonly otp: Otp;
  close(): Promise<void>;
}

/** Secret keys from `OTP_KEY_<id>` variables: `OTP_KEY_1`, `OTP_KEY_2`, ... */
export function secretKeysFromEnv(env: Readonly<Record<string, string | undefined>>): SecretKeys {
  const keys: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) {
    const id = /^OTP_KEY_(\d+)$/.exec(name)?.[1];
    if (id !== undefined) keys[id] = value;
  }
  return keys;
}

/**
 * The audit table from `OTPKIT_AUDIT_DAYS` (its retention in days): off when unset or empty.
 * @throws ConfigurationError for a value that is not a whole number of days.
 */
export function auditFromEnv(env: Readonly<Record<string, string | undefined>>): AuditOptions | false {
  const days = env.OTPKIT_AUDIT_DAYS;
  if (days === undefined || days === '') return false;
  if (!/^[1-9][0-9]{0,4}$/.test(days)) throw new ConfigurationError('OTPKIT_AUDIT_DAYS must be the audit table\'s retention, a whole number of days such as 365');
  return { retentionDays: Number(days) };
}

const nonEmpty = (value: string | undefined) => (value === '' ? undefined : value);

function isOtp(value: unknown): value is Otp {
  const candidate = value as Partial<Otp> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.migrate === 'function' && typeof candidate.matchToken === 'function';
}

function isOptions(value: unknown): value is OtpOptions {
  return typeof value === 'object' && value !== null && 'knex' in value && 'devices' in value;
}

async function importConfig(file: string, logger: Logger): Promise<LoadedConfig> {
  let exported = await importConfigModule(file);
  if (typeof exported === 'function') {
    try {
      exported = await (exported as () => unknown)();
    } catch (error) {
      if (isOtpError(error)) throw error;
      throw new ConfigurationError(`${file}: its default export failed: ${oneLine(error)}`, { cause: error });
    }
  }
  const otp = isOtp(exported) ? exported : isOptions(exported) ? createOtp({ logger, ...exported }) : null;
  if (otp === null) {
    throw new ConfigurationError(`${file} must export default the createOtp options, an otpkit instance, or a function returning one`);
  }
  return { otp, close: () => otp.knex.destroy() };
}

/** The knex instance of a `DATABASE_URL`. @throws ConfigurationError when its driver is not installed. */
function connect(url: string, source: ConfigSource): Knex {
  const schema = source.schema ?? nonEmpty(source.env.OTPKIT_DATABASE_SCHEMA);
  const config = knexConfigFromUrl(url, { cwd: source.cwd, create: source.create, schema });
  try {
    return knexFactory(config);
  } catch (error) {
    throw new ConfigurationError(`DATABASE_URL: ${oneLine(error)}`, { cause: error });
  }
}

/** @throws ConfigurationError when the first schema of the search path is not in the database: tables would be looked up, and created, elsewhere. */
async function requireSchema(knex: Knex): Promise<void> {
  const [first] = (knex.client.config.searchPath as readonly string[] | undefined) ?? [];
  if (first === undefined) return;
  const found = await knex('information_schema.schemata').where({ schema_name: first }).first('schema_name');
  if (found === undefined) throw new ConfigurationError(`schema "${first}" is not in the database: create it (CREATE SCHEMA ${first}), or fix --schema, OTPKIT_DATABASE_SCHEMA or ?schema=`);
}

async function fromDatabaseUrl(url: string, source: ConfigSource): Promise<LoadedConfig> {
  const knex = connect(url, source);
  try {
    await requireSchema(knex);
    const { plugins, notes } = await installedPlugins({ cwd: source.cwd, env: source.env, knex, all: source.create });
    for (const line of notes) source.note(line);
    const otp = createOtp({ knex, devices: plugins, secretKeys: secretKeysFromEnv(source.env), audit: auditFromEnv(source.env), logger: source.logger });
    return { otp, close: () => knex.destroy() };
  } catch (error) {
    await knex.destroy();
    throw error;
  }
}

/**
 * The configuration file of a command: `--config PATH`, else the `otpkit.config.*` file in `cwd` ({@link findConfigFile}), else `null`.
 * @throws ConfigurationError when `--config` names no file, or `cwd` has several.
 */
function configFile(source: ConfigSource): string | null {
  if (source.configPath === undefined) return findConfigFile(source.cwd);
  const file = resolve(source.cwd, source.configPath);
  if (!existsSync(file)) throw new ConfigurationError(`configuration file ${file} does not exist`);
  return file;
}

/**
 * Loads the otp instance a command works on: from `--config PATH`, else from the `otpkit.config.*`
 * file in `cwd` (TypeScript or JavaScript, see {@link importConfigModule}), else from
 * `DATABASE_URL` (with the installed plugin packages that need no options and whose tables exist,
 * see {@link installedPlugins}, secret keys from `OTP_KEY_<id>`, and PostgreSQL's search path
 * from `--schema`, `OTPKIT_DATABASE_SCHEMA` or the URL's `?schema=`).
 * @throws ConfigurationError for a missing, broken or invalid configuration, or `--schema` with a
 * configuration file; NoConfigError when there is none.
 */
export async function loadConfig(source: ConfigSource): Promise<LoadedConfig> {
  const file = configFile(source);
  if (file !== null) {
    if (source.schema !== undefined) throw new ConfigurationError(`--schema is for DATABASE_URL mode: set the search path in ${file} (knex's searchPath)`);
    return importConfig(file, source.logger);
  }
  const url = nonEmpty(source.env.DATABASE_URL);
  if (url !== undefined) return fromDatabaseUrl(url, source);
  throw new NoConfigError();
}
