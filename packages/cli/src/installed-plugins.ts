import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { ConfigurationError, isOtpError, type AnyDevicePlugin } from '@otpkit/core';
import { oneLine } from './describe-error.js';
import { packageEntry } from './package-entry.js';
import { findPluginPackages, type PluginPackage } from './plugin-packages.js';

/** The device plugins `DATABASE_URL` mode works with, and what it tells the user about the choice. */
export interface InstalledPlugins {
  readonly plugins: readonly AnyDevicePlugin[];
  /** Lines for stderr: which plugins were found, and which were left out and why. */
  readonly notes: readonly string[];
}

/** Where to look and which plugins to keep. */
export interface InstalledPluginsSource {
  /** The app's directory: plugin packages are resolved from it, as Node would. */
  readonly cwd: string;
  /** Values of the options plugin packages read from the environment (`"otpkit": { "env": … }`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The database whose tables decide which plugins are in use. */
  readonly knex: Knex;
  /** Keep every plugin that can be made, tables or not (`otpkit migrate` creates them). */
  readonly all: boolean;
}

/** A plugin type and the package that declares it. */
interface Listed {
  readonly type: string;
  /** The package's name. */
  readonly name: string;
}

/** A plugin made from an installed package. */
interface Found extends Listed {
  readonly plugin: AnyDevicePlugin;
}

/** A package left out because it needs options, and the variables of its `env` that would give them. */
interface Unmade extends Listed {
  readonly unset: readonly string[];
}

const labelled = (entries: readonly Listed[]) => entries.map(({ type, name }) => `${type} (${name})`).join(', ');
const labelledWithFix = (entries: readonly Unmade[]) =>
  entries.map(({ type, name, unset }) => `${type} (${name}${unset.length === 0 ? '' : `, or set ${unset.join(', ')}`})`).join(', ');

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

/** The factory options a package reads from the environment; unset and empty variables are left out. */
function optionsFromEnv({ declaration }: PluginPackage, env: InstalledPluginsSource['env']): Record<string, string> {
  const entries = Object.entries(declaration.env).flatMap(([option, variable]) => {
    const value = env[variable];
    return isSet(value) ? [[option, value] as const] : [];
  });
  return Object.fromEntries(entries);
}

/** The variables of a package's `env` that are unset or empty. */
const unsetVariables = ({ declaration }: PluginPackage, env: InstalledPluginsSource['env']) => Object.values(declaration.env).filter((variable) => !isSet(env[variable]));

/**
 * Whether the environment can make a package's plugin: it needs no options, or it declares the
 * variables that give them (`env`) and every one is set.
 */
const canMake = (pkg: PluginPackage, env: InstalledPluginsSource['env']) =>
  !pkg.declaration.needsOptions || (Object.keys(pkg.declaration.env).length > 0 && unsetVariables(pkg, env).length === 0);

/**
 * Loads a package and calls its declared factory.
 * @throws ConfigurationError when the package cannot be loaded, has no such factory, or makes a plugin of another type.
 */
async function makePlugin(pkg: PluginPackage, env: InstalledPluginsSource['env']): Promise<AnyDevicePlugin> {
  const { name, declaration } = pkg;
  const entry = packageEntry(pkg.dir, pkg.manifest);
  if (entry === null) throw new ConfigurationError(`${name}: its package.json "exports" has no main entry to import`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigurationError(`${name} could not be loaded: ${oneLine(error)}`, { cause: error });
  }
  const factory = module[declaration.factory];
  if (typeof factory !== 'function') throw new ConfigurationError(`${name} does not export the plugin factory ${declaration.factory} its package.json names`);
  let plugin: AnyDevicePlugin | undefined;
  const options = optionsFromEnv(pkg, env);
  try {
    plugin = (await factory(options)) as AnyDevicePlugin | undefined;
  } catch (error) {
    // The plugin's own configuration errors name the option; say which variables set it.
    const variables = Object.keys(options).map((option) => declaration.env[option]!);
    if (isOtpError(error) && error.code === 'ERR_OTP_CONFIGURATION' && variables.length > 0) {
      throw new ConfigurationError(`${error.message} (options from ${variables.join(', ')})`, { cause: error });
    }
    if (isOtpError(error)) throw error;
    throw new ConfigurationError(`${name}: ${declaration.factory}() failed: ${oneLine(error)}`, { cause: error });
  }
  if (plugin?.type !== declaration.plugin) {
    throw new ConfigurationError(`${name}: ${declaration.factory}() made no "${declaration.plugin}" device plugin, as its package.json declares`);
  }
  return plugin;
}

/**
 * The device plugins of `DATABASE_URL` mode, found without naming any: the installed packages
 * that declare one (see {@link findPluginPackages}), each made by its factory with no options
 * but those its declaration reads from the environment. Only plugins whose device table exists
 * in the database are kept, unless `all` is set. Plugins that need options are left out, with a
 * note that a configuration file can use them (email, SMS), or which variables to set when their
 * declaration reads every option they need from the environment (WebAuthn's relying party).
 * @throws ConfigurationError when a package's declaration is malformed or it cannot make its plugin,
 * two declare the same type, or no plugin is left.
 */
export async function installedPlugins(source: InstalledPluginsSource): Promise<InstalledPlugins> {
  const made: Found[] = [];
  const needOptions: Unmade[] = [];
  for (const pkg of findPluginPackages(source.cwd)) {
    const type = pkg.declaration.plugin;
    if (!canMake(pkg, source.env)) {
      needOptions.push({ type, name: pkg.name, unset: unsetVariables(pkg, source.env) });
      continue;
    }
    const twin = made.find((entry) => entry.type === type);
    if (twin !== undefined) throw new ConfigurationError(`${pkg.name} and ${twin.name} both declare the device type "${type}": uninstall one, or use otpkit.config.js`);
    made.push({ type, name: pkg.name, plugin: await makePlugin(pkg, source.env) });
  }
  if (made.length === 0) {
    throw new ConfigurationError(`DATABASE_URL: no device plugin that works without options is installed in ${source.cwd} or above: install one, or use otpkit.config.js`);
  }
  const kept: Found[] = [];
  for (const entry of made) {
    if (source.all || (await source.knex.schema.hasTable(entry.plugin.model.tableName))) kept.push(entry);
  }
  if (kept.length === 0) throw new ConfigurationError('DATABASE_URL: no installed device plugin has its tables in this database: run otpkit migrate');
  const unmigrated = made.filter((entry) => !kept.includes(entry));
  const notes = [`device plugins from node_modules: ${labelled(kept)}`];
  if (unmigrated.length > 0) notes.push(`left out, their tables are not in the database (otpkit migrate creates them): ${labelled(unmigrated)}`);
  if (needOptions.length > 0) notes.push(`left out, they need options: ${labelledWithFix(needOptions)}; configure them in otpkit.config.js (see otpkit --help)`);
  return { plugins: kept.map((entry) => entry.plugin), notes };
}
