import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};

/** The `NAME=value` assignments a script sets before its command. */
const variablesOf = (script: string | undefined): string[] =>
  (script ?? '')
    .split(/\s+/)
    .filter(
      (word, index, words) =>
        /^[A-Z_]+=/.test(word) && words.slice(0, index).every((w) => /^[A-Z_]+=/.test(w)),
    );

describe('npm run deploy', () => {
  it('runs osls deploy with the same telemetry variables as npm run package', () => {
    expect(scripts.deploy).toMatch(/ osls deploy$/);
    expect(variablesOf(scripts.package)).toEqual(['SLS_TELEMETRY_DISABLED=1', 'SLS_NOTIFICATIONS_MODE=off']);
    expect(variablesOf(scripts.deploy)).toEqual(variablesOf(scripts.package));
  });
});
