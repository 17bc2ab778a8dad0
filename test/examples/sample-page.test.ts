import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSamplePageDocs, SAMPLE_PAGE_PATH } from '../../examples/sample-page';

const committed = readFileSync(new URL(`../../${SAMPLE_PAGE_PATH}`, import.meta.url), 'utf8');

describe('docs/sample-page.md', () => {
  it('is the page the real handler and pipeline produce for the seed example (regenerate with `npm run docs`)', async () => {
    expect(committed).toBe(await renderSamplePageDocs());
  });

  it('groups the seed example’s three findings into one page', () => {
    expect(committed.match(/^New incident /gm)).toHaveLength(1);
    expect(committed).toContain('seen 3 times so far');
  });

  it('has a verify step that names where the canary password is read, and no audit that the check does not run', () => {
    const verify = committed.slice(committed.indexOf('How to verify the fix'));
    expect(verify).toMatch(/npx cognito-sentinel check .* --password-from ssm:\/cognito-sentinel\/canary\//);
    expect(verify).not.toMatch(/config audit/);
  });
});
