/**
 * Every regular expression the log path can run is linear in its input: no polynomial or
 * exponential backtracking, and no super-linear "move" (a pattern retried at every start
 * position of a long run). The proof is static, by `scslre`, over every regex literal in the
 * source folders below (found with the TypeScript parser, so a new regex cannot be missed) and
 * over the regexes built at run time. Nothing is timed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyse } from 'scslre';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { TRIGGERS } from '../../contracts/triggers';
import { keywordsFor } from '../../logs/line-state';

const ROOT = join(import.meta.dirname, '../..');
/** The log path and the pure code it calls with log content. */
const FOLDERS = ['logs', 'contracts', 'detectors'] as const;
/** Files that build a RegExp at run time, and where each such regex is checked below. */
const DYNAMIC_REGEXES: Readonly<Record<string, string>> = {
  'logs/line-state.ts': 'keywordsFor',
};

interface FoundRegex {
  where: string;
  source: string;
  flags: string;
}

const sourceFiles = (folder: string): string[] =>
  readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(ROOT, folder, name));

/** Regex literals and `RegExp(...)` constructions of one file. */
const scan = (file: string): { literals: FoundRegex[]; constructed: number } => {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const literals: FoundRegex[] = [];
  let constructed = 0;
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText(source);
      const slash = literal.lastIndexOf('/');
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      literals.push({
        where: `${relative(ROOT, file)}:${line + 1}`,
        source: literal.slice(1, slash),
        flags: literal.slice(slash + 1),
      });
    }
    if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'RegExp'
    ) {
      constructed++;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { literals, constructed };
};

/** The ways `pattern` can take super-linear time, as `scslre` reports them; empty when linear. */
const superLinear = ({ source, flags }: { source: string; flags: string }): string[] =>
  analyse({ source, flags }).reports.map(
    (report) =>
      `${report.type}${report.exponential ? ' (exponential)' : ''} on repeated ${JSON.stringify(report.character.pick)}`,
  );

const found = FOLDERS.flatMap((folder) => sourceFiles(folder).map((file) => ({ file, ...scan(file) })));
const literals = found.flatMap(({ literals }) => literals);

describe('regular expressions on the log path', () => {
  it('finds the regexes it checks (the scan itself works)', () => {
    expect(literals.length).toBeGreaterThan(40);
    expect(literals).toContainEqual(expect.objectContaining({ source: '^[A-Z][A-Z0-9_]*$', flags: '' }));
  });

  it('knows the known offenders as super-linear (the checker itself works)', () => {
    const spacedKey =
      ' +(?=(?:(?<!Billed |Init |Restore )Duration|Billed Duration|Init Duration|Restore Duration|Memory Size|Max Memory Used|Status|Error Type|Phase|XRAY TraceId|SegmentId|Sampled): )';
    expect(superLinear({ source: spacedKey, flags: 'g' })).not.toEqual([]);
    expect(superLinear({ source: '[,\\s]+$', flags: '' })).not.toEqual([]);
    expect(
      superLinear({
        source: '^(empty string|empty object|string|number|array|object)\\b( \\(.*\\))?(.*)$',
        flags: '',
      }),
    ).not.toEqual([]);
  });

  it.each(literals.map((regex) => [regex.where, regex] as const))('%s is linear', (_where, regex) => {
    expect(superLinear(regex)).toEqual([]);
  });

  it('builds regexes at run time only where this test checks them', () => {
    const building = found
      .filter(({ constructed }) => constructed > 0)
      .map(({ file }) => relative(ROOT, file))
      .sort();
    expect(building).toEqual(Object.keys(DYNAMIC_REGEXES).sort());
  });

  it.each([...TRIGGERS, undefined])('the keyword pre-check for %s is linear', (trigger) => {
    const regex = keywordsFor(trigger);
    expect(superLinear(regex)).toEqual([]);
  });
});
