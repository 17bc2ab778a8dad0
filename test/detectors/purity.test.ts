/**
 * detectors/ is pure (DESIGN.md, STYLE.md §1): no AWS SDK, no middy, no Node built-ins, no
 * process.env, no clock, no console, no network. Checked on the source text of every file under
 * detectors/ and of every module they import, directly or not.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DETECTORS_DIR = join(ROOT, 'detectors');

const listTs = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listTs(path);
    return name.endsWith('.ts') ? [path] : [];
  });

/** The source without comments, so a TSDoc sentence such as "no process.env" does not count. */
const codeOf = (path: string): string =>
  readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');

const SPECIFIER =
  /\b(?:import|export)\s+(?:type\s+)?(?:[\w*\s{},]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

const specifiersOf = (code: string): string[] =>
  [...code.matchAll(SPECIFIER)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');

const resolveRelative = (from: string, specifier: string): string | undefined => {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find(
    (path) => existsSync(path) && statSync(path).isFile(),
  );
};

/** Every local module reachable from detectors/ through imports, with the bare specifiers each uses. */
const closure = (): Map<string, string[]> => {
  const seen = new Map<string, string[]>();
  const queue = listTs(DETECTORS_DIR);
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    if (seen.has(path)) continue;
    const specifiers = specifiersOf(codeOf(path));
    seen.set(
      path,
      specifiers.filter((specifier) => !specifier.startsWith('.')),
    );
    for (const specifier of specifiers.filter((candidate) => candidate.startsWith('.'))) {
      const target = resolveRelative(path, specifier);
      if (target === undefined)
        throw new Error(`${relative(ROOT, path)} imports ${specifier}, which does not resolve`);
      queue.push(target);
    }
  }
  return seen;
};

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isForbiddenPackage = (specifier: string): boolean =>
  specifier.startsWith('@aws-sdk/') ||
  specifier.startsWith('@middy/') ||
  specifier.startsWith('@aws-lambda-powertools/') ||
  specifier.startsWith('node:') ||
  NODE_BUILTINS.has(specifier.split('/')[0] ?? specifier);

const FORBIDDEN_CODE: ReadonlyArray<readonly [string, RegExp]> = [
  ['process.env', /\bprocess\s*\.\s*env\b/],
  ['process.', /\bprocess\s*\./],
  ['Date.now(', /\bDate\s*\.\s*now\s*\(/],
  ['new Date(', /\bnew\s+Date\s*\(/],
  ['performance.now(', /\bperformance\s*\.\s*now\s*\(/],
  ['Math.random(', /\bMath\s*\.\s*random\s*\(/],
  ['console.', /\bconsole\s*\./],
  ['fetch(', /\bfetch\s*\(/],
  ['setTimeout(', /\bset(?:Timeout|Interval|Immediate)\s*\(/],
];

describe('detectors/ purity', () => {
  const detectorFiles = listTs(DETECTORS_DIR);
  const reachable = closure();

  it('finds the detector sources and what they import', () => {
    expect(detectorFiles.map((path) => relative(ROOT, path))).toEqual(
      expect.arrayContaining(['detectors/index.ts', 'detectors/trigger-response-invalid.ts']),
    );
    expect([...reachable.keys()].map((path) => relative(ROOT, path))).toEqual(
      expect.arrayContaining(['contracts/validate.ts', 'runbook/section-id.ts']),
    );
  });

  it.each(detectorFiles.map((path) => [relative(ROOT, path), path] as const))(
    '%s imports no AWS SDK, middy or Node built-in',
    (_name, path) => {
      const forbidden = specifiersOf(codeOf(path)).filter(isForbiddenPackage);
      expect(forbidden).toEqual([]);
    },
  );

  it.each(detectorFiles.map((path) => [relative(ROOT, path), path] as const))(
    '%s reads no environment, clock, console or network',
    (_name, path) => {
      const code = codeOf(path);
      const found = FORBIDDEN_CODE.filter(([, pattern]) => pattern.test(code)).map(([name]) => name);
      expect(found).toEqual([]);
    },
  );

  it('imports nothing impure through its dependencies either', () => {
    const problems: string[] = [];
    for (const [path, packages] of reachable) {
      const name = relative(ROOT, path);
      for (const specifier of packages.filter(isForbiddenPackage))
        problems.push(`${name} imports ${specifier}`);
      const code = codeOf(path);
      for (const [what, pattern] of FORBIDDEN_CODE)
        if (pattern.test(code)) problems.push(`${name} uses ${what}`);
    }
    expect(problems).toEqual([]);
  });

  // alerts/redact.ts is a pure leaf (no imports; checked by the rules above like every file
  // reached): detectors redact log text before they cut it into titles and excerpts.
  it('stays inside detectors/, contracts/, runbook/section-id.ts and the redactor', () => {
    const outside = [...reachable.keys()]
      .map((path) => relative(ROOT, path))
      .filter(
        (name) =>
          !name.startsWith('detectors/') &&
          !name.startsWith('contracts/') &&
          name !== 'runbook/section-id.ts' &&
          name !== 'alerts/redact.ts',
      );
    expect(outside).toEqual([]);
  });
});
