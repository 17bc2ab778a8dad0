/**
 * Imports point down the architecture (docs/architecture.md): a folder may import its own files
 * and folders on a lower layer, never one on its own layer or above. Sources of observations
 * (canary/, logs/, audit/) and alerts/ sit side by side and never reach into each other; the
 * detectors and contracts below them stay free of everything operational.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeOf, listTs, ROOT, resolveRelative, specifiersOf } from './support/imports';

/** Layer of each top-level folder; higher layers may import lower ones only. */
const LAYERS: Readonly<Record<string, number>> = {
  contracts: 0,
  redaction: 0,
  runtime: 0,
  detectors: 1,
  runbook: 2,
  config: 3,
  canary: 4,
  logs: 4,
  audit: 4,
  alerts: 4,
  middleware: 5,
  testing: 5,
  functions: 5,
  deploy: 6,
  demo: 7,
  cli: 8,
  bench: 9,
  examples: 9,
  test: 10,
};

/** One import edge: `from` and `to` are repository-relative paths. */
interface ImportEdge {
  from: string;
  to: string;
}

const topOf = (path: string): string => path.split('/')[0] ?? path;

/** The edges that break the layering rule, each described in one line. */
const upwardImports = (edges: readonly ImportEdge[]): string[] =>
  edges.flatMap(({ from, to }) => {
    const source = topOf(from);
    const target = topOf(to);
    if (source === target) return [];
    const sourceLayer = LAYERS[source];
    const targetLayer = LAYERS[target];
    if (sourceLayer === undefined) return [`${from}: folder ${source}/ has no layer`];
    if (targetLayer === undefined) return [`${from} imports ${to}: folder ${target}/ has no layer`];
    return targetLayer < sourceLayer
      ? []
      : [`${from} (${source}, layer ${sourceLayer}) imports ${to} (${target}, layer ${targetLayer})`];
  });

const repositoryEdges = (): ImportEdge[] =>
  Object.keys(LAYERS).flatMap((folder) => {
    let files: string[];
    try {
      files = listTs(`${ROOT}/${folder}`);
    } catch {
      return [];
    }
    return files.flatMap((path) =>
      specifiersOf(codeOf(path))
        .filter((specifier) => specifier.startsWith('.'))
        .flatMap((specifier) => {
          const target = resolveRelative(path, specifier);
          return target === undefined ? [] : [{ from: relative(ROOT, path), to: relative(ROOT, target) }];
        }),
    );
  });

describe('layering', () => {
  const edges = repositoryEdges();

  it('reads the import graph of every layer', () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges).toContainEqual({ from: 'functions/trigger-logs.ts', to: 'detectors/index.ts' });
  });

  it('has no import that points up or sideways', () => {
    expect(upwardImports(edges)).toEqual([]);
  });

  it('reports an import from a lower layer to a higher one', () => {
    expect(
      upwardImports([
        { from: 'detectors/trigger-slow.ts', to: 'alerts/redact.ts' },
        { from: 'canary/scrub.ts', to: 'alerts/redact.ts' },
        { from: 'alerts/pipeline.ts', to: 'detectors/types.ts' },
        { from: 'lib/x.ts', to: 'contracts/triggers.ts' },
      ]),
    ).toEqual([
      'detectors/trigger-slow.ts (detectors, layer 1) imports alerts/redact.ts (alerts, layer 4)',
      'canary/scrub.ts (canary, layer 4) imports alerts/redact.ts (alerts, layer 4)',
      'lib/x.ts: folder lib/ has no layer',
    ]);
  });

  it('gives every top-level source folder a layer', () => {
    const unlayered = listTs(ROOT)
      .map((path) => relative(ROOT, path))
      .filter((path) => path.includes('/'))
      .map(topOf)
      .filter((folder, index, all) => all.indexOf(folder) === index && LAYERS[folder] === undefined);
    expect(unlayered).toEqual([]);
  });
});
