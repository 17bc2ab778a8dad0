/**
 * Reads the import graph of the repository's own TypeScript sources, for the architecture tests
 * (detector purity, layering). Works on source text: comments are stripped so a sentence in a
 * TSDoc block never counts as an import.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every `.ts` file under `dir`, recursively. */
export const listTs = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory())
      return name === 'node_modules' || name.startsWith('.') ? [] : listTs(path);
    return name.endsWith('.ts') ? [path] : [];
  });

/** The source without comments, so a TSDoc sentence such as "no process.env" does not count. */
export const codeOf = (path: string): string => stripComments(readFileSync(path, 'utf8'));

/** Removes block and line comments (a line comment only when it starts the line). */
export const stripComments = (source: string): string =>
  source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

const SPECIFIER =
  /\b(?:import|export)\s+(?:type\s+)?(?:[\w*\s{},]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The module specifiers a piece of code imports, re-exports or requires. */
export const specifiersOf = (code: string): string[] =>
  [...code.matchAll(SPECIFIER)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');

/** The file a relative specifier points at (`x` → `x.ts` or `x/index.ts`), or `undefined`. */
export const resolveRelative = (from: string, specifier: string): string | undefined => {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find(
    (path) => existsSync(path) && statSync(path).isFile(),
  );
};
