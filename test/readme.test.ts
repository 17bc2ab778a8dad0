import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultPasswordName } from '../cli/canary-password-store';
import { scanLogs } from '../cli/scan-logs';
import { DEFAULT_CANARY_USERNAME } from '../cli/setup-canary';
import type { CliIo } from '../cli/usage-error';

const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const lines = readme.split('\n');

describe('README.md', () => {
  it('starts the deploy path within its first 60 lines, right after the two commands', () => {
    const headings = lines.flatMap((line, index) => (line.startsWith('## ') ? [{ line, index }] : []));
    expect(headings[0]?.line).toBe('## Two commands');
    expect(headings[1]?.line).toMatch(/^## Deploy it/);
    expect(headings[1]?.index).toBeLessThan(60);
  });

  it('makes the test page step 5 of the deploy guide, through the deployed functions', () => {
    const guide = readme.slice(
      readme.indexOf('## Deploy it'),
      readme.indexOf('\n## ', readme.indexOf('## Deploy it') + 1),
    );
    expect(guide).toMatch(/\*\*5\. [^\n]*\n[\s\S]*npx cognito-sentinel test-page --stage /);
    expect(guide).toContain('npm run deploy -- --stage');
    expect(guide).toMatch(
      /aws ssm put-parameter --name \/cognito-sentinel\/pagerduty\/routing-key --type SecureString/,
    );
  });

  it("uses setup-canary's username and password reference in every check example", () => {
    const pool = 'us-east-1_AbCdEf123';
    const checks = readme.match(/cognito-sentinel check [^`]*?--password-from \S+/g) ?? [];
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) {
      expect(check).toContain(`--username ${DEFAULT_CANARY_USERNAME}`);
      expect(check).toContain(
        `--password-from ssm:${defaultPasswordName('ssm', pool, DEFAULT_CANARY_USERNAME)}`,
      );
    }
  });

  it('says how many findings the seed example prints, and it prints that many', async () => {
    const said =
      /scan-logs examples\/seed-incident\.subscription\.json --format json +# prints (\d+) findings/.exec(
        readme,
      );
    const out: string[] = [];
    const io: CliIo = {
      stdout: (text) => out.push(text),
      stderr: () => {},
      readStdin: async () => '',
      readFile: async (path) => readFileSync(new URL(path, root), 'utf8'),
      isTty: false,
      env: {},
    };

    const code = await scanLogs(['examples/seed-incident.subscription.json', '--format', 'json'], io);

    expect(code).toBe(1);
    expect(out.join('').trim().split('\n')).toHaveLength(Number(said?.[1]));
  });

  it('shows no hand-copied page or cost table (both are generated into docs/)', () => {
    expect(readme).not.toMatch(/^New incident /m);
    expect(readme).not.toMatch(/\| canary Lambda compute/);
    expect(readme).toContain('docs/sample-page.md');
    expect(readme).toContain('docs/cost.md');
  });
});
