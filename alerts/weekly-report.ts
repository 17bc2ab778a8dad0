/**
 * The weekly report, pure: from the run records, incidents and silences the monitor keeps in its
 * own table (`run-records.ts`), what a manager or the next on-call wants to know about a week:
 * sign-in success rate per pool and app client, latency p50/p95 per step with a sparkline of the
 * trend, incidents opened and resolved with time to resolve, trigger findings by detector,
 * configuration changes, and the silences used. Rendered as Markdown (`md`, also the email the
 * weekly schedule publishes) or as aligned plain text (`text`, the terminal).
 */
import { escapeControl } from '../redaction/escape-control';
import type { IncidentRecord } from './incident-policy';
import { formatDuration } from './report';
import type { ReportData } from './run-records';
import { silenceEnd } from './silences';

export const REPORT_FORMATS = ['text', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What the report covers. */
export interface WeeklyReportInput extends ReportData {
  since: Date;
  now: Date;
  stage?: string;
}

const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** Buckets in a sparkline (one character each). */
export const SPARKLINE_BUCKETS = 14;

/** Nearest-rank percentile of `values` (0 < p <= 100); `undefined` when empty. Pure. */
export const percentile = (values: readonly number[], p: number): number | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

/** One character per value, scaled from the lowest to the highest; a gap (no data) is a space. Pure. */
export const sparkline = (values: ReadonlyArray<number | undefined>): string => {
  const present = values.filter((value): value is number => value !== undefined);
  if (present.length === 0) return '';
  const low = Math.min(...present);
  const span = Math.max(...present) - low;
  return values
    .map((value) =>
      value === undefined
        ? ' '
        : SPARKS[
            span === 0 ? 0 : Math.min(SPARKS.length - 1, Math.floor(((value - low) / span) * SPARKS.length))
          ],
    )
    .join('');
};

const cell = (text: string): string => escapeControl(text, { multiline: false }).replace(/\|/g, '\\|');

const table = (format: ReportFormat, header: readonly string[], rows: readonly string[][]): string => {
  const all = [header, ...rows].map((row) => row.map(cell));
  if (format === 'md')
    return [
      `| ${all[0]?.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...all.slice(1).map((row) => `| ${row.join(' | ')} |`),
    ].join('\n');
  const widths = header.map((_, i) => Math.max(...all.map((row) => [...(row[i] ?? '')].length)));
  return all
    .map((row) =>
      row
        .map((value, i) => value + ' '.repeat((widths[i] ?? 0) - [...value].length))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

const heading = (format: ReportFormat, text: string, level = 2): string =>
  format === 'md'
    ? `${'#'.repeat(level)} ${text}`
    : level === 1
      ? `${text}\n${'='.repeat(text.length)}`
      : `${text}\n${'-'.repeat(text.length)}`;

/**
 * A section of a heading and a table, or the `empty` sentence when there are no rows; `note`, when
 * given, follows the table.
 */
const tableSection = (
  format: ReportFormat,
  title: string,
  header: readonly string[],
  rows: readonly string[][],
  empty: string,
  note?: string,
): string =>
  [
    heading(format, title),
    ...(rows.length === 0 ? [empty] : [table(format, header, rows), ...(note === undefined ? [] : [note])]),
  ].join('\n\n');

const pct = (ok: number, total: number): string =>
  total === 0 ? 'n/a' : `${((ok / total) * 100).toFixed(2)}%`;
const msText = (value: number | undefined): string =>
  value === undefined ? 'n/a' : `${Math.round(value)} ms`;
const within = (iso: string | undefined, since: Date, now: Date): boolean =>
  iso !== undefined && Date.parse(iso) >= since.getTime() && Date.parse(iso) <= now.getTime();

const signInSection = (input: WeeklyReportInput, format: ReportFormat): string => {
  const byTarget = new Map<string, { pool: string; client: string; ok: number; total: number }>();
  for (const run of input.runs)
    for (const target of run.targets) {
      const key = `${target.userPoolId}\u0000${target.clientId}`;
      const entry = byTarget.get(key) ?? {
        pool: target.userPoolId,
        client: target.clientId,
        ok: 0,
        total: 0,
      };
      entry.total += 1;
      if (target.ok) entry.ok += 1;
      byTarget.set(key, entry);
    }
  const rows = [...byTarget.values()].map((e) => [
    e.pool,
    e.client,
    String(e.total),
    String(e.ok),
    pct(e.ok, e.total),
  ]);
  return tableSection(
    format,
    'Sign-in success rate',
    ['Pool', 'App client', 'Runs', 'Succeeded', 'Success rate'],
    rows,
    'No canary runs recorded in this period.',
  );
};

const latencySection = (input: WeeklyReportInput, format: ReportFormat): string => {
  const span = Math.max(1, input.now.getTime() - input.since.getTime());
  const series = new Map<
    string,
    { pool: string; client: string; step: string; all: number[]; buckets: number[][] }
  >();
  for (const run of input.runs)
    for (const target of run.targets)
      for (const [step, ms] of Object.entries(target.steps)) {
        const key = `${target.userPoolId}\u0000${target.clientId}\u0000${step}`;
        const entry = series.get(key) ?? {
          pool: target.userPoolId,
          client: target.clientId,
          step,
          all: [],
          buckets: Array.from({ length: SPARKLINE_BUCKETS }, () => []),
        };
        entry.all.push(ms);
        const bucket = Math.floor(((Date.parse(run.at) - input.since.getTime()) / span) * SPARKLINE_BUCKETS);
        entry.buckets[Math.min(SPARKLINE_BUCKETS - 1, Math.max(0, bucket))]?.push(ms);
        series.set(key, entry);
      }
  const rows = [...series.values()].map((e) => [
    e.pool,
    e.client,
    e.step,
    msText(percentile(e.all, 50)),
    msText(percentile(e.all, 95)),
    sparkline(e.buckets.map((bucket) => percentile(bucket, 50))),
  ]);
  return tableSection(
    format,
    'Latency per step',
    ['Pool', 'App client', 'Step', 'p50', 'p95', 'p50 trend'],
    rows,
    'No canary latencies recorded in this period.',
    `Trend: p50 per ${formatDuration(span / SPARKLINE_BUCKETS)}, oldest first, scaled from the lowest to the highest.`,
  );
};

const incidentsSection = (input: WeeklyReportInput, format: ReportFormat): string => {
  const opened = input.incidents.filter((i) => within(i.firstSeen, input.since, input.now));
  const resolved = input.incidents.filter(
    (i) => i.status === 'resolved' && within(i.resolvedAt, input.since, input.now),
  );
  const ttr = (i: IncidentRecord): number => Date.parse(i.resolvedAt ?? '') - Date.parse(i.firstSeen);
  const times = resolved.map(ttr).filter(Number.isFinite);
  const shown = [...new Set([...opened, ...resolved])].sort(
    (a, b) => Date.parse(a.firstSeen) - Date.parse(b.firstSeen),
  );
  const summary = `${opened.length} opened, ${resolved.length} resolved${
    times.length === 0
      ? ''
      : `; time to resolve: median ${formatDuration(percentile(times, 50) ?? 0)}, longest ${formatDuration(Math.max(...times))}`
  }; ${input.incidents.filter((i) => i.status === 'open').length} open now.`;
  const rows = shown
    .slice(0, 25)
    .map((i) => [
      i.title,
      i.detector,
      i.firstSeen,
      i.status === 'resolved' ? (i.resolvedAt ?? '') : 'open',
      i.status === 'resolved' ? formatDuration(ttr(i)) : '',
      String(i.count),
    ]);
  return [
    heading(format, 'Incidents'),
    summary,
    ...(rows.length === 0
      ? []
      : [table(format, ['Incident', 'Detector', 'Opened', 'Resolved', 'Time to resolve', 'Findings'], rows)]),
  ].join('\n\n');
};

const findingsSection = (input: WeeklyReportInput, format: ReportFormat): string => {
  const counts = new Map<string, { detector: string; trigger: string; count: number }>();
  for (const run of input.runs)
    if (run.source === 'trigger-logs')
      for (const f of run.findings) {
        const key = `${f.detector}\u0000${f.trigger ?? ''}`;
        const entry = counts.get(key) ?? { detector: f.detector, trigger: f.trigger ?? '', count: 0 };
        entry.count += f.count;
        counts.set(key, entry);
      }
  const rows = [...counts.values()]
    .sort((a, b) => b.count - a.count)
    .map((e) => [e.detector, e.trigger, String(e.count)]);
  return tableSection(
    format,
    'Trigger findings by detector',
    ['Detector', 'Trigger', 'Findings'],
    rows,
    'No trigger-log findings in this period.',
  );
};

const configSection = (input: WeeklyReportInput, format: ReportFormat): string => {
  const changes = input.incidents.filter(
    (i) =>
      (i.detector === 'config-drift' || i.detector === 'config-expectation-failed') &&
      within(i.firstSeen, input.since, input.now),
  );
  const rows = changes.map((i) => [i.firstSeen, i.finding.userPoolId ?? '', i.title]);
  return tableSection(
    format,
    'Configuration changes',
    ['Seen', 'Pool', 'Change'],
    rows,
    'No configuration change or failed expectation recorded in this period (needs the config audit).',
  );
};

const silencesSection = (input: WeeklyReportInput, format: ReportFormat): string => {
  const used = input.silences.filter(
    (s) => Date.parse(s.startsAt) <= input.now.getTime() && silenceEnd(s) >= input.since.getTime(),
  );
  const rows = used.map((s) => [
    s.id,
    [s.userPoolId, s.detector, s.clientId].filter(Boolean).join(' '),
    s.startsAt,
    new Date(silenceEnd(s)).toISOString(),
    s.createdBy,
    s.reason,
  ]);
  return tableSection(
    format,
    'Silences used',
    ['Silence', 'Scope', 'From', 'To', 'Set by', 'Reason'],
    rows,
    'No silence in this period.',
  );
};

/** The report as Markdown or plain text. Pure. */
export const toWeeklyReport = (input: WeeklyReportInput, format: ReportFormat): string =>
  [
    heading(format, `cognito-sentinel report${input.stage === undefined ? '' : ` (${input.stage})`}`, 1),
    `From ${input.since.toISOString()} to ${input.now.toISOString()}; ${input.runs.length} run records.`,
    signInSection(input, format),
    latencySection(input, format),
    incidentsSection(input, format),
    findingsSection(input, format),
    configSection(input, format),
    silencesSection(input, format),
  ]
    .join('\n\n')
    .concat('\n');

/** Characters of the report published to SNS (under its 256 KB message limit even in 3-byte characters). */
export const MAX_PUBLISHED_REPORT_CHARS = 80_000;

/** How the weekly schedule publishes: the same Markdown as `report --format md`, to the alert topic. */
export interface WeeklyReportPublisher {
  publish(subject: string, message: string): Promise<void>;
}

/** The subject of the published report: printable ASCII, under 100 characters. */
export const toWeeklyReportSubject = (stage: string | undefined): string =>
  `cognito-sentinel weekly report${stage === undefined ? '' : ` (${stage})`}`
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 99);

/** The week the scheduled report covers, in ms. */
export const WEEK_MS = 7 * 24 * 3_600_000;

/** What the scheduled report did. */
export interface WeeklyReportSent {
  subject: string;
  runs: number;
  chars: number;
}

/**
 * Builds the report of the week ending `now` from the table and publishes it (the weekly schedule;
 * the CLI prints the same text). Throws when the table or the topic fails, so the schedule retries.
 */
export const sendWeeklyReport = async ({
  read,
  publisher,
  now,
  stage,
}: {
  read: (since: Date) => Promise<ReportData>;
  publisher: WeeklyReportPublisher;
  now: Date;
  stage?: string;
}): Promise<WeeklyReportSent> => {
  const since = new Date(now.getTime() - WEEK_MS);
  const data = await read(since);
  const text = toWeeklyReport({ ...data, since, now, ...(stage === undefined ? {} : { stage }) }, 'md');
  const message =
    text.length <= MAX_PUBLISHED_REPORT_CHARS
      ? text
      : `${text.slice(0, MAX_PUBLISHED_REPORT_CHARS)}\n\n(cut: run cognito-sentinel report --stage ${stage ?? 'S'} --format md for the rest)\n`;
  const subject = toWeeklyReportSubject(stage);
  await publisher.publish(subject, message);
  return { subject, runs: data.runs.length, chars: message.length };
};
