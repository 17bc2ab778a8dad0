/**
 * detectors/ is pure (docs/architecture.md): no AWS SDK, no middy, no Node built-ins, no
 * process.env, no clock, no console, no network. Checked on the source text of every file under
 * detectors/ and of every module they import, directly or not.
 */
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeOf, listTs, ROOT, resolveRelative, specifiersOf } from '../support/imports';

const DETECTORS_DIR = join(ROOT, 'detectors');

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
      expect.arrayContaining(['contracts/validate.ts', 'detectors/runbook-section-id.ts']),
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

  // redaction/ is pure too: detectors redact log text before they cut it into titles and excerpts.
  it('stays inside detectors/, contracts/ and redaction/', () => {
    const outside = [...reachable.keys()]
      .map((path) => relative(ROOT, path))
      .filter(
        (name) =>
          !name.startsWith('detectors/') && !name.startsWith('contracts/') && !name.startsWith('redaction/'),
      );
    expect(outside).toEqual([]);
  });
});
