/**
 * AWS Chatbot (Amazon Q Developer in chat applications) sink: a custom notification published to
 * the SNS topic Chatbot subscribes to (docs/alerting.md). Chatbot drops plain-text SNS
 * messages without an error, so this topic gets only this JSON:
 *
 * `{version: '1.0', source: 'custom', id, content: {textType: 'client-markdown', title,
 * description, nextSteps, keywords}, metadata: {threadId: dedupKey, summary, eventType,
 * additionalContext}}`
 *
 * `threadId` is the incident's dedup key, so the page, its reminders and its resolve thread
 * together (when the channel allows threads). The description is the report in chat markdown,
 * kept short (at most {@link CHATBOT_MAX_DESCRIPTION_CHARS}); `nextSteps` are the runbook's first
 * read-only steps with their commands, then how to verify the fix.
 */
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { escapeControl } from '../../redaction/escape-control';
import { clipRedacted, redactThenClip } from '../../redaction/redact';
import { toCommandContext } from '../../runbook/commands';
import { resolveRunbookSection } from '../../runbook/render';
import type { Step } from '../../runbook/types';
import { isAbsoluteUrl } from '../links';
import type { Alert, AlertSink } from '../types';
import {
  createTopicSink,
  SNS_MAX_PUBLISH_BYTES,
  type SnsSinkOptions,
  toSnsMessageAttributes,
  toWellFormed,
} from './sns';

/** Longest description we send, in characters (chat clients fold long messages anyway). */
export const CHATBOT_MAX_DESCRIPTION_CHARS = 3_500;
export const CHATBOT_MAX_TITLE_CHARS = 250;
export const CHATBOT_MAX_NEXT_STEPS = 6;
export const CHATBOT_MAX_STEP_CHARS = 1_000;

export interface ChatbotNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps?: string[];
    keywords: string[];
  };
  metadata: {
    threadId: string;
    summary: string;
    eventType: string;
    additionalContext: Record<string, string>;
  };
}

// Every text is cut through the redactor, and shown with its control characters escaped.
const cut = (text: string, max: number): string => escapeControl(redactThenClip(text, max));
// For text that holds runbook commands (already generated from redacted data, never redacted again).
const cutComposed = (text: string, max: number): string => escapeControl(clipRedacted(text, max));

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

const times = (count: number): string => (count === 1 ? 'once' : `${count} times`);

// Backticks inside inline code would end it early.
const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

const fence = (lines: readonly string[]): string =>
  ['```', ...lines.map((line) => line.replace(/```/g, "'''")), '```'].join('\n');

/** A step with its command; a command is never cut or altered (left to the runbook when too long). */
const stepText = (step: Step): string => {
  if (step.command === undefined) return cutComposed(step.text, CHATBOT_MAX_STEP_CHARS);
  const withCommand = step.command.includes('`')
    ? `${step.text}\n${fence([step.command])}`
    : `${step.text} \`${step.command}\``;
  return withCommand.length <= CHATBOT_MAX_STEP_CHARS
    ? withCommand
    : cutComposed(`${step.text} (command in the runbook)`, CHATBOT_MAX_STEP_CHARS);
};

/** Read-only first steps and the verification, from the runbook section of the (redacted) finding. */
const nextStepsOf = (alert: Alert): string[] => {
  try {
    const section = resolveRunbookSection(alert.finding);
    const context = toCommandContext(alert.finding);
    const first = section.firstTenMinutes(alert.finding, context).slice(0, CHATBOT_MAX_NEXT_STEPS - 1);
    const verify = section.verify(alert.finding, context).at(-1);
    return [...first, ...(verify === undefined ? [] : [verify])].map(stepText);
  } catch {
    return [];
  }
};

const titleOf = (alert: Alert): string => {
  const prefix =
    alert.action === 'resolve'
      ? 'RESOLVED'
      : `${alert.severity.toUpperCase()}${alert.action === 'remind' ? ' (reminder)' : ''}`;
  return cut(oneLine(`${prefix}: ${alert.title}`), CHATBOT_MAX_TITLE_CHARS);
};

const descriptionOf = (alert: Alert): string => {
  const f = alert.finding;
  const incident = alert.incident;
  const lines: string[] = [];
  if (alert.action === 'resolve') {
    const why = incident?.resolution === undefined ? '' : `: ${incident.resolution}`;
    lines.push(`*Resolved*${incident?.resolvedAt === undefined ? '' : ` at ${incident.resolvedAt}`}${why}.`);
  }
  if (f.field !== undefined || f.expected !== undefined || f.actual !== undefined) {
    lines.push(
      `*Evidence*: ${f.field === undefined ? '' : `${code(f.field)} `}expected ${f.expected ?? '?'}, got ${f.actual ?? '?'}`,
    );
  }
  if (f.cause !== undefined) lines.push(`*Cause*: ${code(f.cause)}`);
  const excerpt = f.evidence[0];
  if (excerpt !== undefined && alert.action !== 'resolve') lines.push(fence([cut(excerpt, 600)]));
  const where = [
    f.userPoolId === undefined ? undefined : `pool ${code(f.userPoolId)}`,
    f.region,
    f.clientId === undefined ? undefined : `client ${code(f.clientId)}`,
    f.trigger === undefined ? undefined : `trigger ${f.trigger}`,
    f.functionName === undefined ? undefined : `function ${code(f.functionName)}`,
  ].filter((part): part is string => part !== undefined);
  if (where.length > 0) lines.push(`*Where*: ${where.join(', ')}`);
  if (incident !== undefined) {
    lines.push(
      alert.action === 'resolve'
        ? `*Open* from ${incident.firstSeen} to ${incident.resolvedAt ?? incident.lastSeen}, seen ${times(incident.count)}`
        : `*Since* ${incident.firstSeen}, seen ${times(incident.count)} (last ${incident.lastSeen})`,
    );
  } else if (alert.firstSeen !== undefined) {
    lines.push(`*Since* ${alert.firstSeen}, seen ${times(alert.occurrences)}`);
  }
  if (alert.acknowledgeCommand !== undefined && alert.action !== 'resolve')
    lines.push(
      `*Acknowledge* (stops reminders until it resolves or re-opens):\n${fence([alert.acknowledgeCommand])}`,
    );
  if (alert.recentChanges !== undefined && alert.recentChanges.length > 0)
    lines.push(`*Recent changes*: ${alert.recentChanges.slice(0, 3).join('; ')}`);
  lines.push(
    isAbsoluteUrl(alert.runbook.url)
      ? `*Runbook*: <${alert.runbook.url}|${alert.runbook.title}>`
      : `*Runbook*: ${alert.runbook.title} (${code(alert.runbook.url)})`,
  );
  const consoleLinks = alert.links.filter((link) => link.href !== alert.runbook.url);
  if (consoleLinks.length > 0)
    lines.push(consoleLinks.map((link) => `<${link.href}|${link.text}>`).join(' · '));
  lines.push(`Incident ${code(alert.dedupKey)}`);
  return cutComposed(lines.join('\n'), CHATBOT_MAX_DESCRIPTION_CHARS);
};

/** The custom notification for an alert. Pure. */
export const toChatbotNotification = (alert: Alert): ChatbotNotification => {
  const f = alert.finding;
  const nextSteps = alert.action === 'resolve' ? [] : nextStepsOf(alert);
  const additionalContext: Record<string, string> = Object.fromEntries(
    Object.entries({
      incident: alert.dedupKey,
      detector: alert.detector,
      severity: alert.severity,
      action: alert.action,
      userPoolId: f.userPoolId,
      region: f.region,
      trigger: f.trigger,
    }).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''),
  );
  return {
    version: '1.0',
    source: 'custom',
    // Unique per message: a reminder also carries the count so far.
    id: [
      alert.dedupKey,
      alert.action,
      alert.incident?.episode ?? 1,
      ...(alert.action === 'remind' ? [alert.incident?.count ?? alert.occurrences] : []),
    ].join(':'),
    content: {
      textType: 'client-markdown',
      title: titleOf(alert),
      description: descriptionOf(alert),
      ...(nextSteps.length === 0 ? {} : { nextSteps }),
      keywords: [alert.severity, alert.detector, ...(f.trigger === undefined ? [] : [f.trigger])],
    },
    metadata: {
      threadId: alert.dedupKey,
      summary: cut(oneLine(alert.title), CHATBOT_MAX_TITLE_CHARS),
      eventType: `cognito-sentinel.${alert.action}`,
      additionalContext,
    },
  };
};

/** The SNS Publish input for the Chatbot topic: the notification as the message, no subject. Pure. */
export const toChatbotPublishInput = (alert: Alert, topicArn: string): PublishCommandInput => {
  return {
    TopicArn: topicArn,
    Message: toWellFormed(JSON.stringify(toChatbotNotification(alert))),
    MessageAttributes: toSnsMessageAttributes(alert),
  };
};

/** Options of {@link createChatbotSink}. */
export type ChatbotSinkOptions = SnsSinkOptions;

/** A sink that publishes each alert as a Chatbot custom notification. Rejects with AlertSinkError. */
export const createChatbotSink = (options: ChatbotSinkOptions): AlertSink =>
  createTopicSink('chatbot', options, (alert, topicArn) => {
    const input = toChatbotPublishInput(alert, topicArn);
    // JSON is never cut; the capped description keeps it far below the limit, this guards against misuse.
    if (Buffer.byteLength(input.Message ?? '') > SNS_MAX_PUBLISH_BYTES - 1_024)
      throw new Error('the notification does not fit in one SNS message');
    return input;
  });
