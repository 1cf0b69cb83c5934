import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, with a trailing slash. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A fenced code block of a docs page. */
export interface CodeBlock {
  readonly page: string;
  /** The 1-based line of the opening fence. */
  readonly line: number;
  readonly language: string;
  readonly code: string;
  /** The `path[#region]` of an `<!-- include: ... -->` comment right above the block, if any. */
  readonly include: string | null;
}

const INCLUDE = /^<!--\s*include:\s*(\S+)\s*-->$/;

/** README.md and every `docs/*.md` page, by path from the repository root, with its text. */
export function docPages(): { name: string; text: string }[] {
  const pages = readdirSync(`${ROOT}docs`)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...pages].map((name) => ({ name, text: readFileSync(`${ROOT}${name}`, 'utf8') }));
}

/** The fenced code blocks of a page, each with the include comment that precedes it. */
export function codeBlocks(page: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const open = /^(`{3,})(\S*)\s*$/.exec(lines[index]!);
    if (open === null) continue;
    const close = lines.findIndex((line, at) => at > index && line.startsWith(open[1]!) && line.trim() === open[1]);
    const end = close === -1 ? lines.length : close;
    let previous = index - 1;
    while (previous >= 0 && lines[previous]!.trim() === '') previous -= 1;
    const include = previous >= 0 ? (INCLUDE.exec(lines[previous]!.trim())?.[1] ?? null) : null;
    blocks.push({ page, line: index + 1, language: open[2]!, code: lines.slice(index + 1, end).join('\n'), include });
    index = end;
  }
  return blocks;
}

/**
 * The text a `path[#region]` include stands for: the whole file, or the lines between
 * `// #region name` and `// #endregion` with those markers left out; trailing newlines trimmed.
 */
export function includedText(include: string): string {
  const [path, region] = include.split('#') as [string, string | undefined];
  const text = readFileSync(`${ROOT}${path}`, 'utf8');
  if (region === undefined) return text.replace(/\n+$/, '');
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region ${region}`);
  const end = lines.findIndex((line, at) => at > start && line.trim().startsWith('// #endregion'));
  if (start === -1 || end === -1) throw new Error(`${path} has no region "${region}"`);
  return lines.slice(start + 1, end).join('\n').replace(/\n+$/, '');
}
