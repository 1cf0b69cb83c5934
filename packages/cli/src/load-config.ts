import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import knexFactory from 'knex';
import { ConfigurationError, createOtp, type AuditOptions, type Logger, type Otp, type OtpOptions, type SecretKeys } from '@otpkit/core';
import { NoConfigError } from './cli-error.js';
import { knexConfigFromUrl } from './database-url.js';
import { firstLine } from './describe-error.js';
import { installedPlugins } from './installed-plugins.js';

/** The configuration files looked for in the working directory, in order. */
export const CONFIG_FILES = Object.freeze(['otpkit.config.js', 'otpkit.config.mjs']);

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

function isOtp(value: unknown): value is Otp {
  const candidate = value as Partial<Otp> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.migrate === 'function' && typeof candidate.matchToken === 'function';
}

function isOptions(value: unknown): value is OtpOptions {
  return typeof value === 'object' && value !== null && 'knex' in value && 'devices' in value;
}

async function importConfig(file: string, logger: Logger): Promise<LoadedConfig> {
  let exported: unknown;
  try {
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    exported = module.default;
  } catch (error) {
    throw new ConfigurationError(`${file} could not be loaded: ${firstLine(error)}`, { cause: error });
  }
  if (typeof exported === 'function') exported = await (exported as () => unknown)();
  const otp = isOtp(exported) ? exported : isOptions(exported) ? createOtp({ logger, ...exported }) : null;
  if (otp === null) {
    throw new ConfigurationError(`${file} must export default the createOtp options, an otpkit instance, or a function returning one`);
  }
  return { otp, close: () => otp.knex.destroy() };
}

async function fromDatabaseUrl(url: string, source: ConfigSource): Promise<LoadedConfig> {
  const knex = knexFactory(knexConfigFromUrl(url, source.cwd, source.create));
  try {
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
 * Loads the otp instance a command works on: from `--config PATH`, else from `otpkit.config.js` or
 * `otpkit.config.mjs` in `cwd`, else from `DATABASE_URL` (with the installed plugin packages that
 * need no options and whose tables exist, see {@link installedPlugins}, and secret keys from
 * `OTP_KEY_<id>`).
 * @throws ConfigurationError for a missing, broken or invalid configuration; NoConfigError when there is none.
 */
export async function loadConfig(source: ConfigSource): Promise<LoadedConfig> {
  if (source.configPath !== undefined) {
    const file = resolve(source.cwd, source.configPath);
    if (!existsSync(file)) throw new ConfigurationError(`configuration file ${file} does not exist`);
    return importConfig(file, source.logger);
  }
  const found = CONFIG_FILES.map((name) => resolve(source.cwd, name)).find((file) => existsSync(file));
  if (found !== undefined) return importConfig(found, source.logger);
  const url = source.env.DATABASE_URL;
  if (url !== undefined && url !== '') return fromDatabaseUrl(url, source);
  throw new NoConfigError();
}
