import { describe, expect, it } from 'vitest';
import {
  DASHBOARD_LINK_TEXT,
  isAbsoluteUrl,
  toAlertLinks,
  toConsoleLinks,
  toRunbookUrl,
} from '../../alerts/links';
import { presignupFinding } from './findings';

describe('toRunbookUrl', () => {
  it.each([
    [undefined, 'docs/runbook.md#trigger-timeout'],
    ['', 'docs/runbook.md#trigger-timeout'],
    ['https://wiki.example.com/runbook', 'https://wiki.example.com/runbook#trigger-timeout'],
    ['https://wiki.example.com/runbook#old-anchor', 'https://wiki.example.com/runbook#trigger-timeout'],
  ])('base %j gives %s', (base, url) => {
    expect(toRunbookUrl('trigger-timeout', base)).toBe(url);
  });

  it('knows which links a pager can open', () => {
    expect(isAbsoluteUrl('https://x.example/a#b')).toBe(true);
    expect(isAbsoluteUrl('docs/runbook.md#a')).toBe(false);
  });
});

describe('toConsoleLinks', () => {
  it.each([
    ['eu-west-1', 'https://eu-west-1.console.aws.amazon.com'],
    ['cn-north-1', 'https://cn-north-1.console.amazonaws.cn'],
    ['us-gov-west-1', 'https://us-gov-west-1.console.amazonaws-us-gov.com'],
  ])('uses the console of the partition of %s', (region, host) => {
    const links = toConsoleLinks(presignupFinding({ region, userPoolId: `${region}_AbC123` }));
    expect(links.map((link) => link.href.slice(0, host.length))).toEqual([host, host, host]);
  });

  it('takes the region from the pool id and the function from the log group', () => {
    const links = toConsoleLinks(
      presignupFinding({ region: undefined, functionName: undefined, logGroup: '/aws/lambda/shop-pretoken' }),
    );
    expect(links.map((link) => link.text)).toEqual([
      'Cognito user pool us-east-1_AbC123xyz',
      'Lambda function shop-pretoken',
      'Log group /aws/lambda/shop-pretoken',
    ]);
  });

  it('puts no value that does not look like an AWS identifier into a URL', () => {
    const links = toConsoleLinks(
      presignupFinding({
        userPoolId: 'pool <script>',
        functionName: 'fn?x=1&y',
        logGroup: '/aws/lambda/fn with spaces',
      }),
    );
    expect(links).toEqual([]);
  });

  it('gives no links without a region', () => {
    expect(toConsoleLinks(presignupFinding({ region: undefined, userPoolId: undefined }))).toEqual([]);
  });

  it('puts the runbook first when its URL is absolute', () => {
    const links = toAlertLinks(presignupFinding(), { url: 'https://x.example/runbook#a', title: 'A' });
    expect(links[0]).toEqual({ href: 'https://x.example/runbook#a', text: 'Runbook: A' });
    expect(toAlertLinks(presignupFinding(), { url: 'docs/runbook.md#a', title: 'A' })).toHaveLength(3);
  });

  it('links the monitor dashboard right after the runbook, only when its URL is absolute', () => {
    const runbook = { url: 'https://x.example/runbook#a', title: 'A' };
    const dashboard =
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=cognito-sentinel-prod';
    const links = toAlertLinks(presignupFinding(), runbook, dashboard);
    expect(links.slice(0, 2)).toEqual([
      { href: runbook.url, text: 'Runbook: A' },
      { href: dashboard, text: DASHBOARD_LINK_TEXT },
    ]);
    expect(links).toHaveLength(5);
    expect(toAlertLinks(presignupFinding(), runbook, 'cognito-sentinel-prod')).toHaveLength(4);
  });
});
