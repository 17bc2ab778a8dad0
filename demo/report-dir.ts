/**
 * `--report-dir DIR`: every delivered page and resolve is written as a Markdown report, and as one
 * JSON line in `DIR/alerts.jsonl`, so scripts and CI can assert on what the monitor sent.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Alert, AlertSink } from '../alerts/types';

/** One line of `alerts.jsonl`. */
export interface DeliveryRecord {
  action: Alert['action'];
  dedupKey: string;
  detector: string;
  title: string;
  sink: string;
  severity: string;
  field?: string;
  trigger?: string;
  cause?: string;
  at: string;
  report: string;
}

const toMarkdown = (alert: Alert): string => {
  const lines = [
    `# ${alert.action === 'resolve' ? 'Resolved' : alert.action === 'remind' ? 'Still failing' : 'Page'}: ${alert.title}`,
    '',
    `- Severity: ${alert.severity}`,
    `- Detector: \`${alert.detector}\``,
    `- Incident: \`${alert.dedupKey}\``,
    ...(alert.finding.field
      ? [
          `- Field: \`${alert.finding.field}\` (expected ${alert.finding.expected}, got ${alert.finding.actual})`,
        ]
      : []),
    '',
    '## Report',
    '',
    '```text',
    alert.report.trimEnd(),
    '```',
  ];
  if (alert.action !== 'resolve') lines.push('', '## Runbook', '', alert.runbook.markdown.trimEnd());
  return `${lines.join('\n')}\n`;
};

/**
 * Wraps `sink` so that each successful delivery is recorded under `dir`. The Markdown file is
 * numbered in delivery order: `001-trigger-trigger-response-invalid.md`.
 */
export const recordDeliveries = (
  sink: AlertSink,
  dir: string,
  clock: () => Date = () => new Date(),
): AlertSink => {
  mkdirSync(dir, { recursive: true });
  const journal = join(dir, 'alerts.jsonl');
  writeFileSync(journal, '');
  let count = 0;
  return {
    name: sink.name,
    async send(alert) {
      await sink.send(alert);
      count += 1;
      const file = `${String(count).padStart(3, '0')}-${alert.action}-${alert.detector}.md`;
      writeFileSync(join(dir, file), toMarkdown(alert));
      const record: DeliveryRecord = {
        action: alert.action,
        dedupKey: alert.dedupKey,
        detector: alert.detector,
        title: alert.title,
        sink: sink.name,
        severity: alert.severity,
        ...(alert.finding.field ? { field: alert.finding.field } : {}),
        ...(alert.finding.trigger ? { trigger: alert.finding.trigger } : {}),
        ...(alert.finding.cause ? { cause: alert.finding.cause } : {}),
        at: clock().toISOString(),
        report: file,
      };
      appendFileSync(journal, `${JSON.stringify(record)}\n`);
    },
  };
};
