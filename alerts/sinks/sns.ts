/**
 * Amazon SNS sink: an email-friendly plain-text message with a short ASCII subject, and message
 * attributes (severity, detector, pool, action) for subscription filter policies. Pages, reminders
 * and resolves all go out; a filter policy on `action` can keep resolves away from, say, SMS.
 *
 * Limits (docs/alerting.md): Subject printable ASCII, no line breaks, under 100 characters;
 * Message UTF-8 at most 262,144 bytes, and message attributes count toward that size.
 */
import {
  type MessageAttributeValue,
  PublishCommand,
  type PublishCommandInput,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { escapeControl } from '../../redaction/escape-control';
import { CUT_MARK, redactCutEdges, redactThenClip } from '../../redaction/redact';
import { byteLength } from '../../runtime/text';
import { AlertSinkError } from '../errors';
import type { Alert, AlertSink } from '../types';

/** SNS's size limit for one publish, in bytes (message plus attributes). */
export const SNS_MAX_PUBLISH_BYTES = 262_144;
/** Longest subject we send, in characters (SNS requires fewer than 100). */
export const SNS_MAX_SUBJECT_CHARS = 99;

const FALLBACK_SUBJECT = 'cognito-sentinel alert';
const encoder = new TextEncoder();

/**
 * Printable ASCII only, one line, at most {@link SNS_MAX_SUBJECT_CHARS} characters. Accents are
 * folded (`é` → `e`), other non-ASCII characters become `?`, control characters and line breaks
 * become spaces, and a long subject is cut at a word boundary with `...`.
 */
export const toSnsSubject = (text: string): string => {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/[^\x20-\x7e]/gu, '?')
    .replace(/\s+/g, ' ')
    .trim();
  if (ascii === '') return FALLBACK_SUBJECT;
  if (ascii.length <= SNS_MAX_SUBJECT_CHARS) return ascii;
  // Cut with `…` (one character), then spelled `...` in ASCII.
  const cut = redactThenClip(ascii, SNS_MAX_SUBJECT_CHARS - 2, { wordBoundary: 48 });
  return cut.endsWith(CUT_MARK) ? `${cut.slice(0, -CUT_MARK.length)}...` : cut;
};

// SNS rejects invalid UTF-16 (it cannot be encoded as UTF-8); lone surrogates from log data become U+FFFD.
export const toWellFormed = (text: string): string =>
  text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never splitting a character. */
export const truncateUtf8 = (text: string, maxBytes: number): string => {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // Step back over continuation bytes (10xxxxxx) to the start of the character that did not fit.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return new TextDecoder().decode(bytes.subarray(0, end));
};

/**
 * Message attributes for subscription filter policies: `severity`, `detector`, `action`
 * (`trigger`, `remind`, `resolve`) and, when known, `pool`. Shared with the Chatbot sink.
 */
export const toSnsMessageAttributes = (alert: Alert): Record<string, MessageAttributeValue> => {
  const pool = alert.finding.userPoolId;
  return {
    severity: { DataType: 'String', StringValue: alert.severity },
    detector: { DataType: 'String', StringValue: alert.detector },
    action: { DataType: 'String', StringValue: alert.action },
    ...(pool === undefined || pool.trim() === '' ? {} : { pool: { DataType: 'String', StringValue: pool } }),
  };
};

/** `[CRITICAL] title` for a page, `[CRITICAL] Reminder: title`, `[RESOLVED] title`; then {@link toSnsSubject}'s rules. */
export const toSnsSubjectOf = (alert: Alert): string => {
  if (alert.action === 'resolve') return toSnsSubject(`[RESOLVED] ${alert.title}`);
  const severity = alert.severity.toUpperCase();
  return toSnsSubject(`[${severity}] ${alert.action === 'remind' ? 'Reminder: ' : ''}${alert.title}`);
};

/** Byte size SNS counts for message attributes. */
export const attributeBytes = (attributes: Record<string, MessageAttributeValue>): number =>
  Object.entries(attributes).reduce(
    (sum, [name, value]) =>
      sum + byteLength(name) + byteLength(value.DataType ?? '') + byteLength(value.StringValue ?? ''),
    0,
  );

const truncationNote = (alert: Alert, fullBytes: number): string =>
  `\n\n[Report truncated: it was ${fullBytes} bytes, over the SNS limit. Incident ${alert.dedupKey}; runbook ${alert.runbook.url}.]\n`;

/**
 * The message body: the report with control characters escaped, cut to fit the SNS limit with a
 * note saying so (the fragment at the cut is redacted by its shape).
 */
const toMessage = (alert: Alert, budget: number): string => {
  const report = toWellFormed(escapeControl(alert.report));
  const fullBytes = byteLength(report);
  if (fullBytes <= budget) return report;
  const note = toWellFormed(escapeControl(truncationNote(alert, fullBytes)));
  const cut = truncateUtf8(report, budget - byteLength(note) - byteLength(CUT_MARK));
  return `${redactCutEdges(`${cut}${CUT_MARK}`)}${note}`;
};

/**
 * The SNS Publish input for an alert. Pure. The message is the plain-text report; the subject is
 * `[SEVERITY] title` (`[RESOLVED] title` for a resolve); attributes per {@link toSnsMessageAttributes}.
 */
export const toSnsPublishInput = (alert: Alert, topicArn: string): PublishCommandInput => {
  const Subject = toSnsSubjectOf(alert);
  const MessageAttributes = toSnsMessageAttributes(alert);
  const budget = SNS_MAX_PUBLISH_BYTES - attributeBytes(MessageAttributes) - byteLength(Subject);
  return { TopicArn: topicArn, Subject, Message: toMessage(alert, budget), MessageAttributes };
};

/** Options of {@link createSnsSink} and of the other sinks that publish to one SNS topic. */
export interface SnsSinkOptions {
  client: SNSClient;
  topicArn: string;
}

/**
 * A sink named `<kind>:<topic name>` that publishes `toInput(alert)` to one SNS topic. Anything
 * thrown, by `toInput` or by the publish, rejects with AlertSinkError.
 */
export const createTopicSink = (
  kind: string,
  { client, topicArn }: SnsSinkOptions,
  toInput: (alert: Alert, topicArn: string) => PublishCommandInput,
): AlertSink => {
  const name = `${kind}:${topicArn.split(':').at(-1) ?? topicArn}`;
  return {
    name,
    async send(alert) {
      try {
        await client.send(new PublishCommand(toInput(alert, topicArn)));
      } catch (error) {
        throw new AlertSinkError(name, alert.dedupKey, error);
      }
    },
  };
};

/** A sink that publishes each alert to one SNS topic. A failed publish rejects with AlertSinkError. */
export const createSnsSink = (options: SnsSinkOptions): AlertSink =>
  createTopicSink('sns', options, toSnsPublishInput);
