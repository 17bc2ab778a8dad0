/**
 * The plain-text alert report: the email body, the console page and the `report` a ticket quotes.
 * It stands alone: what broke in one line, the evidence (expected vs actual, redacted excerpts),
 * where, since when and how often, recent changes, console links, and the runbook section with its
 * commands filled in (its last part says how to verify the fix). Pure.
 */
import type { ConfigChange, Finding } from '../detectors/types';
import { isAbsoluteUrl } from './links';
import type { Alert } from './types';

const LAMBDA_LOG_GROUP = /^\/aws\/lambda\/(.+)$/;

const row = (label: string, value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : `  ${`${label}:`.padEnd(13)} ${value}`;

const indent = (text: string, spaces: number): string =>
  text
    .split(/\r\n|\r|\n/)
    .map((line) => `${' '.repeat(spaces)}${line}`)
    .join('\n');

const block = (heading: string, lines: ReadonlyArray<string | undefined>): string | undefined => {
  const present = lines.filter((line): line is string => line !== undefined);
  return present.length === 0 ? undefined : `${heading}\n${present.join('\n')}`;
};

/** `UpdateUserPoolClient (4i2o…) by arn:… at … from an IP address via aws-cli/2.15.0`. */
export const describeFindingChange = (change: ConfigChange): string =>
  `${change.principal}: ${change.eventName}${change.resource === undefined ? '' : ` (${change.resource})`} at ${change.eventTime}${change.source === undefined ? '' : ` from ${change.source}`}${change.via === undefined ? '' : ` via ${change.via}`}`;

const functionOf = (finding: Finding): string | undefined =>
  finding.functionName ??
  (finding.logGroup === undefined ? undefined : LAMBDA_LOG_GROUP.exec(finding.logGroup)?.[1]);

const times = (count: number): string => (count === 1 ? 'once' : `${count} times`);

/** `42 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export const formatDuration = (ms: number): string => {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
};

/** Excerpts printed in the report; the rest (up to 5) stay in the alert and the PagerDuty details. */
export const MAX_REPORT_EXCERPTS = 2;

const excerpts = (evidence: readonly string[]): string[] => {
  if (evidence.length === 0) return [];
  const shown = evidence.slice(0, MAX_REPORT_EXCERPTS).map((line) => indent(line, 4));
  const more = evidence.length - shown.length;
  return [
    '  Excerpts:',
    ...shown,
    ...(more > 0 ? [`    (${more} more similar line${more === 1 ? '' : 's'})`] : []),
  ];
};

const evidenceBlock = (heading: string, f: Finding): string | undefined =>
  block(heading, [
    row('Field', f.field),
    row('Expected', f.expected),
    row('Actual', f.actual),
    row('Before', f.before),
    row('After', f.after),
    row('Cause', f.cause),
    row('Changed by', f.change === undefined ? undefined : describeFindingChange(f.change)),
    ...excerpts(f.evidence),
  ]);

const whereBlock = (f: Finding): string | undefined => {
  const trigger =
    f.trigger === undefined
      ? undefined
      : f.triggerSource === undefined
        ? f.trigger
        : `${f.trigger} (${f.triggerSource})`;
  return block('Where', [
    row('User pool', f.userPoolId),
    row('Region', f.region),
    row('App client', f.clientId),
    row('Trigger', trigger),
    row('Function', functionOf(f)),
    row('Log group', f.logGroup),
    row('Log stream', f.logStream),
    row('Request id', f.requestId),
  ]);
};

/** "Seen 2 times in this batch, first at ..., last at ...": for alerts without incident state. */
const batchSpan = (alert: Alert): string => {
  const count = times(alert.occurrences);
  if (alert.firstSeen === undefined) return `Seen ${count} in this batch.`;
  if (alert.firstSeen === alert.lastSeen || alert.lastSeen === undefined)
    return `Seen ${count} in this batch, at ${alert.firstSeen}.`;
  return `Seen ${count} in this batch, first at ${alert.firstSeen}, last at ${alert.lastSeen}.`;
};

const incidentSpan = (alert: Alert): string[] => {
  const incident = alert.incident;
  if (incident === undefined) return [batchSpan(alert)];
  const lines: string[] = [];
  const sofar =
    incident.count === alert.occurrences || alert.action === 'resolve'
      ? `${times(incident.count)}`
      : `${times(incident.count)} (${alert.occurrences} in the latest run)`;
  if (alert.action === 'resolve') {
    const resolvedAt = incident.resolvedAt ?? incident.lastSeen;
    const open = formatDuration(Date.parse(resolvedAt) - Date.parse(incident.firstSeen));
    lines.push(
      `Open from ${incident.firstSeen} to ${resolvedAt} (${open}); seen ${sofar}, last at ${incident.lastSeen}.`,
    );
  } else {
    lines.push(
      incident.firstSeen === incident.lastSeen
        ? `First seen ${incident.firstSeen}; seen ${sofar} so far.`
        : `First seen ${incident.firstSeen}, last seen ${incident.lastSeen}; seen ${sofar} so far.`,
    );
  }
  if (incident.episode > 1 && alert.action !== 'resolve')
    lines.push(`This incident has opened ${incident.episode} times.`);
  if (incident.heldOpen && alert.action !== 'resolve')
    lines.push(
      `Flapping: it re-opened ${times(incident.reopens)} recently, so it stays open (no new pages) until it has been quiet for the whole flap window.`,
    );
  if (alert.action === 'remind' && incident.lastNotified !== undefined)
    lines.push(`Last paged at ${incident.lastNotified}.`);
  if (incident.silenced !== undefined && alert.action !== 'resolve') {
    const { pages, silenceId, reason, by, until } = incident.silenced;
    lines.push(
      `Silenced: ${pages === 1 ? '1 page was' : `${pages} pages were`} held by silence ${silenceId} (set by ${by}: ${reason}) until ${until}.`,
    );
  }
  return lines;
};

const headline = (alert: Alert): string => {
  const key = `${alert.dedupKey} (detector ${alert.detector})`;
  const incident = alert.incident;
  if (alert.action === 'resolve') {
    const at = incident?.resolvedAt === undefined ? '' : ` at ${incident.resolvedAt}`;
    const why = incident?.resolution === undefined ? '' : `: ${incident.resolution}`;
    return `Incident ${key} resolved${at}${why}.`;
  }
  if (alert.action === 'remind')
    return `Still open: incident ${key}, open since ${incident?.firstSeen ?? alert.firstSeen ?? 'unknown'}. Reminder.`;
  if (incident === undefined) return `Detector ${alert.detector}, incident ${alert.dedupKey}`;
  return incident.episode > 1 ? `Re-opened incident ${key}` : `New incident ${key}`;
};

/**
 * Renders the report of an alert (everything but `report` itself). Alerts without incident state
 * (the CLI, the stateless dispatcher) say how often the finding was seen in this batch; alerts
 * from the incident pipeline say since when and how often across runs, and a resolve says why.
 */
export const toReport = (alert: Omit<Alert, 'report'>): string => {
  const full = { ...alert, report: '' } as Alert;
  const f = alert.finding;
  const resolve = alert.action === 'resolve';
  const consoleLinks = alert.links.filter(
    (link) => link.href !== alert.runbook.url && isAbsoluteUrl(link.href),
  );
  return [
    `${resolve ? 'RESOLVED' : alert.severity.toUpperCase()}: ${alert.title}\n${headline(full)}`,
    evidenceBlock(resolve ? 'Evidence (when it opened)' : 'Evidence', f),
    whereBlock(f),
    `When\n${incidentSpan(full)
      .map((line) => `  ${line}`)
      .join('\n')}`,
    alert.acknowledgeCommand === undefined || resolve
      ? undefined
      : `Acknowledge (stops reminders until it resolves or re-opens)\n  ${alert.acknowledgeCommand}`,
    alert.recentChanges === undefined || alert.recentChanges.length === 0
      ? undefined
      : block(
          'Recent changes',
          alert.recentChanges.map((change) => `  - ${change}`),
        ),
    consoleLinks.length === 0
      ? undefined
      : block(
          'Links',
          consoleLinks.map((link) => `  ${link.text}: ${link.href}`),
        ),
    resolve
      ? `Runbook: ${alert.runbook.title} (${alert.runbook.url})`
      : `Runbook: ${alert.runbook.title} (${alert.runbook.url})\n\n${alert.runbook.text}`,
  ]
    .filter((part): part is string => part !== undefined)
    .join('\n\n')
    .concat('\n');
};
