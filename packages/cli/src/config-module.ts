import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createJiti } from 'jiti';
import { ConfigurationError } from '@otpkit/core';
import { oneLine } from './describe-error.js';

/** The configuration files looked for in the working directory; at most one may be there. */
export const CONFIG_FILES = Object.freeze(['otpkit.config.ts', 'otpkit.config.mts', 'otpkit.config.cts', 'otpkit.config.js', 'otpkit.config.mjs', 'otpkit.config.cjs']);

/**
 * The configuration file in `cwd`, or `null` when there is none.
 * @throws ConfigurationError when there are several: which one is meant is not for the command to guess.
 */
export function findConfigFile(cwd: string): string | null {
  const found = CONFIG_FILES.map((name) => resolve(cwd, name)).filter((file) => existsSync(file));
  if (found.length > 1) throw new ConfigurationError(`${cwd} has ${found.length} configuration files (${found.map((file) => file.slice(cwd.length + 1)).join(', ')}): keep one, or pass --config PATH`);
  return found[0] ?? null;
}

/**
 * A module's default export as Node's `import()` gives it: an ES module's `default` (jiti marks
 * the ones it compiles with `__esModule`), a CommonJS module's `module.exports`.
 */
function defaultExport(module: unknown): unknown {
  const loaded = module as { readonly __esModule?: unknown; readonly default?: unknown };
  const esModule = Object.prototype.toString.call(module) === '[object Module]' || loaded.__esModule === true;
  return esModule ? loaded.default : module;
}

/**
 * The default export of a configuration module, TypeScript or JavaScript, ES module or CommonJS,
 * and of the app's own modules it imports (`./src/otp.ts`), loaded through jiti: TypeScript is
 * stripped of its types on the fly, relative imports written `./otp.js` find `./otp.ts` as
 * TypeScript's own resolution does, and the `paths` of the app's `tsconfig.json` resolve. Packages
 * in `node_modules` are imported as Node imports them. No compile cache is kept on disk.
 * @throws ConfigurationError when the module, or a module it imports, cannot be loaded or throws.
 */
export async function importConfigModule(file: string): Promise<unknown> {
  // Without jiti's default interop, which would take a module's named exports for its default one.
  const jiti = createJiti(pathToFileURL(file).href, { fsCache: false, tsconfigPaths: true, interopDefault: false });
  try {
    return defaultExport(await jiti.import(file));
  } catch (error) {
    throw new ConfigurationError(`${file} could not be loaded: ${oneLine(error)}`, { cause: error });
  }
}
