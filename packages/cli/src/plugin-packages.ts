import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigurationError, DEVICE_TYPE_PATTERN } from '@otpkit/core';

/**
 * What a device plugin package declares in its `package.json`, under `"otpkit"`, so that
 * `DATABASE_URL` mode finds it: `{ "plugin": "totp", "factory": "totp" }`, plus optionally
 * `"env": { "issuer": "OTPKIT_ISSUER" }` (factory options read from environment variables) and
 * `"needsOptions": true` (the factory cannot run without options: the package is used only when
 * its `env` declares variables and every one of them is set, else through a configuration file).
 */
export interface PluginDeclaration {
  /** The device type the factory's plugin has (`totp`). */
  readonly plugin: string;
  /** The named export that makes the plugin (`totp`). */
  readonly factory: string;
  /** Factory option names to the environment variables that set them. */
  readonly env: Readonly<Record<string, string>>;
  /** Whether the factory needs options: then only its `env`, set in full, or a configuration file can make the plugin. */
  readonly needsOptions: boolean;
}

/** An installed package that declares a device plugin. */
export interface PluginPackage {
  /** The package name (`@acme/otp-push`). */
  readonly name: string;
  /** Its directory. */
  readonly dir: string;
  /** Its `package.json`. */
  readonly manifest: Readonly<Record<string, unknown>>;
  readonly declaration: PluginDeclaration;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The declaration under a manifest's `"otpkit"` key, or why it is not one. */
function parseDeclaration(otpkit: Record<string, unknown>): PluginDeclaration | string {
  const { plugin, factory, env = {}, needsOptions = false } = otpkit;
  if (typeof plugin !== 'string' || !DEVICE_TYPE_PATTERN.test(plugin)) return '"otpkit.plugin" must be a device type such as "totp"';
  if (typeof factory !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(factory)) return '"otpkit.factory" must name the exported plugin factory';
  if (!isObject(env) || !Object.values(env).every((variable) => typeof variable === 'string')) {
    return '"otpkit.env" must map option names to environment variable names';
  }
  if (typeof needsOptions !== 'boolean') return '"otpkit.needsOptions" must be true or false';
  return { plugin, factory, env: env as Record<string, string>, needsOptions };
}

/** The packages of one `node_modules` directory, scoped ones included, by name. */
function packageDirs(nodeModules: string): [name: string, dir: string][] {
  const names = (dir: string) => {
    try {
      return readdirSync(dir).filter((name) => !name.startsWith('.'));
    } catch {
      return [];
    }
  };
  return names(nodeModules).flatMap((entry): [string, string][] =>
    entry.startsWith('@')
      ? names(join(nodeModules, entry)).map((name) => [`${entry}/${name}`, join(nodeModules, entry, name)])
      : [[entry, join(nodeModules, entry)]],
  );
}

function readManifest(dir: string): Record<string, unknown> | null {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return isObject(manifest) ? manifest : null;
  } catch {
    return null;
  }
}

/**
 * The installed packages that declare a device plugin (`"otpkit": { "plugin", "factory" }` in their
 * `package.json`), as Node would resolve them from `cwd`: every `node_modules` from `cwd` up to the
 * root, a nearer one hiding a farther package of the same name. Sorted by name.
 * @throws ConfigurationError for a package whose declaration is malformed.
 */
export function findPluginPackages(cwd: string): PluginPackage[] {
  const seen = new Set<string>();
  const packages: PluginPackage[] = [];
  for (let dir = cwd, parent = dirname(dir); ; dir = parent, parent = dirname(dir)) {
    for (const [name, packageDir] of packageDirs(join(dir, 'node_modules'))) {
      if (seen.has(name)) continue;
      seen.add(name);
      const manifest = readManifest(packageDir);
      if (manifest === null || !isObject(manifest.otpkit) || !('plugin' in manifest.otpkit)) continue;
      const declaration = parseDeclaration(manifest.otpkit);
      if (typeof declaration === 'string') {
        throw new ConfigurationError(`${join(packageDir, 'package.json')}: ${declaration} (fix or uninstall ${name}, or use otpkit.config.js)`);
      }
      packages.push({ name, dir: packageDir, manifest, declaration });
    }
    if (parent === dir) break;
  }
  return packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
