/**
 * Links an on-call engineer clicks first: the runbook section and the AWS console pages for the
 * user pool, the trigger function and its log group. Pure; console URLs follow the partition of the
 * finding's region (aws, aws-cn, aws-us-gov).
 */
import type { Finding } from '../detectors/types';
import type { AlertLink } from './types';

/** Where the generated runbook lives in the repository, for relative links. */
export const RUNBOOK_DOCS = 'docs/runbook.md';

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const USER_POOL_ID = /^[a-z]{2}(?:-[a-z]+)+-\d+_[0-9A-Za-z]+$/;
const LAMBDA_LOG_GROUP = /^\/aws\/lambda\/([\w.-]+)$/;
const FUNCTION_NAME = /^[\w.-]{1,140}$/;
const LOG_GROUP = /^[\w./#-]{1,512}$/;

/**
 * The runbook section's link: `<base>#<section>` when a base URL is configured (e.g.
 * `https://github.com/acme/cognito-sentinel/blob/main/docs/runbook.md`), else `docs/runbook.md#<section>`.
 */
export const toRunbookUrl = (sectionId: string, baseUrl?: string): string =>
  `${baseUrl === undefined || baseUrl.trim() === '' ? RUNBOOK_DOCS : baseUrl.trim().replace(/#.*$/, '')}#${sectionId}`;

/** True for `http(s)://` URLs, the only kind PagerDuty and chat clients can open. */
export const isAbsoluteUrl = (url: string): boolean => /^https?:\/\/[^\s]+$/.test(url);

const consoleHost = (region: string): string => {
  if (region.startsWith('cn-')) return `https://${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `https://${region}.console.amazonaws-us-gov.com`;
  return `https://${region}.console.aws.amazon.com`;
};

// The CloudWatch console double-encodes path parts of its hash route: `/` becomes `$252F`.
const cloudWatchEncode = (text: string): string => encodeURIComponent(text).replace(/%/g, '$25');

const regionOf = (finding: Finding): string | undefined => {
  if (typeof finding.region === 'string' && REGION.test(finding.region)) return finding.region;
  const fromPool = typeof finding.userPoolId === 'string' ? finding.userPoolId.split('_')[0] : undefined;
  return fromPool !== undefined && REGION.test(fromPool) ? fromPool : undefined;
};

const functionOf = (finding: Finding): string | undefined => {
  const named = typeof finding.functionName === 'string' ? finding.functionName : undefined;
  if (named !== undefined && FUNCTION_NAME.test(named)) return named;
  const fromGroup =
    typeof finding.logGroup === 'string' ? LAMBDA_LOG_GROUP.exec(finding.logGroup)?.[1] : undefined;
  return fromGroup;
};

/**
 * Console pages for what the finding names, in the order an engineer opens them: the user pool,
 * the trigger function, its log group. Values that do not look like AWS identifiers are skipped
 * rather than put into a URL.
 */
export const toConsoleLinks = (finding: Finding): AlertLink[] => {
  const region = regionOf(finding);
  if (region === undefined) return [];
  const host = consoleHost(region);
  const links: AlertLink[] = [];
  const pool = finding.userPoolId;
  if (typeof pool === 'string' && USER_POOL_ID.test(pool)) {
    links.push({
      href: `${host}/cognito/v2/idp/user-pools/${pool}?region=${region}`,
      text: `Cognito user pool ${pool}`,
    });
  }
  const fn = functionOf(finding);
  if (fn !== undefined) {
    links.push({
      href: `${host}/lambda/home?region=${region}#/functions/${encodeURIComponent(fn)}`,
      text: `Lambda function ${fn}`,
    });
  }
  const logGroup = typeof finding.logGroup === 'string' ? finding.logGroup : fn && `/aws/lambda/${fn}`;
  if (logGroup && LOG_GROUP.test(logGroup)) {
    links.push({
      href: `${host}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${cloudWatchEncode(logGroup)}`,
      text: `Log group ${logGroup}`,
    });
  }
  return links;
};

/** The text of the dashboard link (PagerDuty `links`, the report's Links, chat). */
export const DASHBOARD_LINK_TEXT = 'Monitor dashboard (CloudWatch)';

/**
 * The runbook link (only when its URL is absolute), the monitor's dashboard (when its URL is given
 * and absolute), then the console links.
 */
export const toAlertLinks = (
  finding: Finding,
  runbook: { url: string; title: string },
  dashboardUrl?: string,
): AlertLink[] => [
  ...(isAbsoluteUrl(runbook.url) ? [{ href: runbook.url, text: `Runbook: ${runbook.title}` }] : []),
  ...(dashboardUrl !== undefined && isAbsoluteUrl(dashboardUrl)
    ? [{ href: dashboardUrl, text: DASHBOARD_LINK_TEXT }]
    : []),
  ...toConsoleLinks(finding),
];
