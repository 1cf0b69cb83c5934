import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The public entry points: every non-private package's index, and core's testing entry. */
function entryPoints(): string[] {
  const entries: string[] = [];
  for (const { name } of readdirSync(`${root}packages`, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const manifest = JSON.parse(readFileSync(`${root}packages/${name}/package.json`, 'utf8')) as { private?: boolean };
    if (manifest.private) continue;
    entries.push(`${root}packages/${name}/src/index.ts`);
  }
  entries.push(`${root}packages/core/src/testing/index.ts`);
  return entries;
}

function undocumentedExports(): string[] {
  const entries = entryPoints();
  const program = ts.createProgram(entries, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const documented =
        symbol.getDocumentationComment(checker).length > 0 ||
        (symbol.declarations ?? []).some((declaration) => ts.getJSDocCommentsAndTags(declaration).length > 0);
      if (!documented) missing.push(`${entry.slice(root.length)}: ${exported.name}`);
    }
  }
  return missing;
}

describe('public API documentation', () => {
  it('gives every export of every public package a TSDoc comment', () => {
    expect(undocumentedExports()).toEqual([]);
  });
});
