import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listRunbookSections } from '../../runbook';
import { RUNBOOK_DOCS_PATH, renderRunbookDocs } from '../../runbook/docs';

const committed = readFileSync(fileURLToPath(new URL(`../../${RUNBOOK_DOCS_PATH}`, import.meta.url)), 'utf8');

describe('docs/runbook.md', () => {
  it('is up to date with the runbook sections (regenerate with `npm run docs`)', () => {
    expect(committed).toBe(renderRunbookDocs());
  });

  it.each(listRunbookSections().map((section) => [section.id, section.title]))(
    'has a heading anchored at %s',
    (id, title) => {
      expect(committed).toContain(`\n## <a id="${id}"></a>${title}\n`);
    },
  );

  it('anchors every section heading with a section id', () => {
    const ids = new Set(listRunbookSections().map((section) => section.id));
    const headings = committed.split('\n').filter((line) => line.startsWith('## '));
    expect(headings).toHaveLength(ids.size);
    for (const heading of headings) {
      const anchor = /^## <a id="([a-z0-9-]+)"><\/a>/.exec(heading)?.[1];
      expect(anchor !== undefined && ids.has(anchor), heading).toBe(true);
    }
  });

  it('shows placeholders, not example values, in its commands', () => {
    expect(committed).toContain('--user-pool-id <user-pool-id>');
    expect(committed).not.toMatch(/us-east-1_[A-Za-z0-9]/);
  });
});
