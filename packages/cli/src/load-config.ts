import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import knexFactory from 'knex';
import { ConfigurationError, createOtp, type AuditOptions, type Logger, type Otp, type OtpOptions, type SecretKeys } from '@otpkit/core';
import { CliError } from './cli-error.js';
import { knexConfigFromUrl } from './database-url.js';
import { defaultDevices } from './default-devices.js';

/** The configuration files looked for in the working directory, in order. */
export const CONFIG_FILES = Object.freeze(['otpkit.config.js', 'otpkit.config.mjs']);

/** Where a command finds its configuration. */
export interface ConfigSource {
  /** `--config PATH`, relative to `cwd`. */
  readonly configPath?: string | undefined;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether a missing SQLite file may be created (`otpkit migrate`). */
  readonly create: boolean;
  /** Where the otp instance's warnings go. */
  readonly logger: Logger;
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
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigurationError(`${file} could not be loaded: ${reason}`, { cause: error });
  }
  if (typeof exported === 'function') exported = await (exported as () => unknown)();
  const otp = isOtp(exported) ? exported : isOptions(exported) ? createOtp({ logger, ...exported }) : null;
  if (otp === null) {
    throw new ConfigurationError(`${file} must export default the createOtp options, an otpkit instance, or a function returning one`);
  }
  return { otp, close: () => otp.knex.destroy() };
}

function fromDatabaseUrl(url: string, source: ConfigSource): LoadedConfig {
  const knex = knexFactory(knexConfigFromUrl(url, source.cwd, source.create));
  try {
    const otp = createOtp({
      knex,
      devices: defaultDevices(source.env),
      secretKeys: secretKeysFromEnv(source.env),
      audit: auditFromEnv(source.env),
      logger: source.logger,
    });
    return { otp, close: () => knex.destroy() };
  } catch (error) {
    void knex.destroy();
    throw error;
  }
}

/**
 * Loads the otp instance a command works on: from `--config PATH`, else from `otpkit.config.js` or
 * `otpkit.config.mjs` in `cwd`, else from `DATABASE_URL` (with the plugins that need no options,
 * secret keys from `OTP_KEY_<id>` and the audit table from `OTPKIT_AUDIT_DAYS`).
 * @throws ConfigurationError for a missing, broken or invalid configuration; CliError when there is none.
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
  throw new CliError('ERR_CLI_NO_CONFIG');
}
