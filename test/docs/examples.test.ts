import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeBlocks, docPages, includedText, ROOT } from './doc-pages.js';

/** Languages whose blocks are code that must run: each is a quote of a file a test executes. */
const EXECUTABLE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? testFiles(path) : entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every `packages/<name>/src/examples/*.ts` file, by its text: a block quoting one whole needs no marker. */
function exampleFiles(): Map<string, string> {
  const byText = new Map<string, string>();
  for (const pkg of readdirSync(`${ROOT}packages`)) {
    const dir = `packages/${pkg}/src/examples`;
    if (!existsSync(`${ROOT}${dir}`)) continue;
    for (const file of readdirSync(`${ROOT}${dir}`).filter((name) => name.endsWith('.ts'))) {
      byText.set(includedText(`${dir}/${file}`), `${dir}/${file}`);
    }
  }
  return byText;
}

const examples = exampleFiles();
/** The executable blocks, each with the file it quotes: its include marker, or the example file it equals. */
const executable = docPages()
  .flatMap(({ name, text }) => codeBlocks(name, text))
  .filter((block) => EXECUTABLE.has(block.language))
  .map((block) => ({ ...block, include: block.include ?? examples.get(block.code) ?? null }));
const tests = [...testFiles(`${ROOT}packages`), ...testFiles(`${ROOT}test`)].map((file) => readFileSync(file, 'utf8'));

describe('code examples in README.md and docs/', () => {
  it('quotes every TypeScript and JavaScript example from a file: a whole packages/*/src/examples file, or one marked <!-- include: path[#region] -->', () => {
    const unmarked = executable.filter((block) => block.include === null).map((block) => `${block.page}:${block.line}`);
    expect(unmarked).toEqual([]);
  });

  it.each(executable.filter((block) => block.include !== null).map((block) => [`${block.page}:${block.line}`, block] as const))(
    '%s is the current text of the file it quotes',
    (_where, block) => {
      expect(existsSync(`${ROOT}${block.include!.split('#')[0]}`)).toBe(true);
      expect(block.code).toBe(includedText(block.include!));
    },
  );

  it('quotes only test files and files that a test imports and runs', () => {
    const untested = [...new Set(executable.map((block) => block.include).filter((include) => include !== null))]
      .map((include) => include.split('#')[0]!)
      .filter((path) => {
        if (path.endsWith('.test.ts')) return false;
        const module = basename(path).replace(/\.ts$/, '.js');
        // A file of an example app (`examples/<app>/…`) is run by the test that copies the app's folder.
        const app = /\/examples\/[^/]+\//.exec(path)?.[0];
        return !tests.some((source) => source.includes(`/${module}'`) || (app !== undefined && source.includes(`${app}'`)));
      });
    expect(untested).toEqual([]);
  });
});
