import { join } from 'node:path';

/** The export conditions an `import` of a package matches in Node. */
const CONDITIONS = new Set(['import', 'node', 'default']);

/** The target of an `exports` value for Node's `import`: a path, or the first matching condition's. */
function exportTarget(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const candidate of value) {
      const target = exportTarget(candidate);
      if (target !== null) return target;
    }
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const entries = Object.entries(value);
  // A subpath map: only its "." entry is the package's main entry.
  if (entries.some(([key]) => key.startsWith('.'))) return exportTarget((value as Record<string, unknown>)['.']);
  for (const [condition, nested] of entries) {
    if (!CONDITIONS.has(condition)) continue;
    const target = exportTarget(nested);
    if (target !== null) return target;
  }
  return null;
}

/**
 * The file `import(name)` loads for the package in `dir`: its `exports` main entry under Node's
 * `import` conditions, else `main`, else `index.js`; `null` when `exports` hides the main entry.
 */
export function packageEntry(dir: string, manifest: Readonly<Record<string, unknown>>): string | null {
  if (manifest.exports !== undefined) {
    const target = exportTarget(manifest.exports);
    return target === null ? null : join(dir, target);
  }
  return join(dir, typeof manifest.main === 'string' ? manifest.main : 'index.js');
}
