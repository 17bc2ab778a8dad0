import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type InputError, isInputError, parseInputText, splitLogText } from '../../logs/input-shapes';
import type { LogGroupInfo, ParsedBatch } from '../../logs/types';
import {
  jsonAppRecord,
  jsonPlatformReport,
  REQUEST_ID,
  reportLine,
  startLine,
  timeoutLine,
  toSubscriptionEvent,
  toSubscriptionMessage,
} from '../support/log-payloads';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/logs/${name}`, import.meta.url), 'utf8');

const LOG_GROUP = '/aws/lambda/shop-presignup';
const GROUPS: Record<string, LogGroupInfo> = { [LOG_GROUP]: { trigger: 'PreSignUp' } };
const base = { name: 'input.json', resolveLogGroup: (logGroup: string) => GROUPS[logGroup] };

const batchOf = (result: ParsedBatch | InputError): ParsedBatch => {
  if (isInputError(result)) throw new Error(result.error);
  return result;
};

const errorOf = (result: ParsedBatch | InputError): string => {
  if (!isInputError(result)) throw new Error('expected an input error');
  return result.error;
};

describe('parseInputText', () => {
  it('reads a Lambda subscription event', () => {
    const text = JSON.stringify(
      toSubscriptionEvent({ logGroup: LOG_GROUP, lines: [startLine(), timeoutLine()] }),
    );
    expect(batchOf(parseInputText(text, base)).stats).toMatchObject({ lines: 2, withSignal: 1, quiet: 1 });
  });

  it('names the file in problems with a subscription event', () => {
    const result = batchOf(parseInputText('{"awslogs":{"data":"@@@@"}}', base));
    expect(result.unreadable[0]?.message).toMatch(/^input\.json: awslogs\.data is not valid base64/);
  });

  it('reads a decoded subscription message, ignoring --log-group', () => {
    const text = JSON.stringify(
      toSubscriptionMessage({ logGroup: LOG_GROUP, lines: [timeoutLine()] }),
      null,
      2,
    );
    const batch = batchOf(parseInputText(text, { ...base, logGroup: '/aws/lambda/other' }));
    expect(batch.observations[0]?.origin).toMatchObject({ logGroup: LOG_GROUP, trigger: 'PreSignUp' });
  });

  it('reads aws logs filter-log-events output with --log-group', () => {
    const batch = batchOf(
      parseInputText(fixture('filter-log-events.json'), { ...base, logGroup: LOG_GROUP }),
    );
    expect(batch.stats).toMatchObject({ lines: 4, withSignal: 2, quiet: 2, unreadable: 0 });
    expect(batch.observations[0]).toMatchObject({
      kind: 'trigger-payload',
      shape: 'event',
      origin: {
        logStream: '2024/05/01/[$LATEST]0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        eventId: '38274017388901234567890123456789012345678901234567890001',
        timestamp: '2024-05-01T12:00:00.031Z',
      },
    });
  });

  it('reads aws logs get-log-events output with --log-group', () => {
    const batch = batchOf(parseInputText(fixture('get-log-events.json'), { ...base, logGroup: LOG_GROUP }));
    expect(batch.stats).toMatchObject({ lines: 4, withSignal: 2 });
  });

  it.each([
    [
      'filter-log-events output',
      fixture('filter-log-events.json'),
      'aws logs filter-log-events / get-log-events output',
    ],
    ['plain text', fixture('presignup-seed-incident.log'), 'plain-text log input'],
  ])('asks for --log-group when %s does not name its log group', (_name, text, what) => {
    expect(errorOf(parseInputText(text, base))).toBe(
      `input.json: ${what} does not name its log group; pass --log-group /aws/lambda/<function-name>`,
    );
  });

  it('reads a saved text stream, joining a multi-line util.inspect event back into one log event', () => {
    const batch = batchOf(
      parseInputText(fixture('presignup-seed-incident.log'), {
        ...base,
        name: 'app.log',
        logGroup: LOG_GROUP,
      }),
    );
    expect(batch.stats).toEqual({ lines: 5, withSignal: 3, quiet: 2, unreadable: 0, controlMessages: 0 });
    // The input event (autoConfirmUser false) meets the contract; the returned one ('true') does not.
    const verdicts = batch.observations.flatMap((observation) =>
      observation.kind === 'trigger-payload'
        ? [observation.violations.map((v) => `${v.field}: ${v.actual}`)]
        : [],
    );
    expect(verdicts).toEqual([[], ['response.autoConfirmUser: string "true"']]);
    expect(batch.observations[0]?.origin.timestamp).toBe('2024-05-01T12:00:00.015Z');
  });

  it('reads JSON log format records, one per line', () => {
    const text = [jsonAppRecord(REQUEST_ID, 'INFO', 'hello'), jsonPlatformReport({ durationMs: 4990 })].join(
      '\n',
    );
    expect(batchOf(parseInputText(text, { ...base, logGroup: LOG_GROUP })).stats).toMatchObject({
      lines: 2,
      withSignal: 1,
    });
  });

  it('reads a single JSON log record as a one-line text input', () => {
    const batch = batchOf(
      parseInputText(jsonPlatformReport({ durationMs: 4990 }), { ...base, logGroup: LOG_GROUP }),
    );
    expect(batch.observations[0]).toMatchObject({ kind: 'invocation-report', durationMs: 4990 });
  });

  it('names the problem line of a text input', () => {
    const batch = batchOf(
      parseInputText(`${reportLine({ durationMs: 1 })}{"cut":`, {
        ...base,
        name: 'app.log',
        logGroup: LOG_GROUP,
      }),
    );
    expect(batch.unreadable[0]?.message).toMatch(
      /^line 2 of app\.log \(log group \/aws\/lambda\/shop-presignup\): /,
    );
  });

  it.each([
    ['an unrelated JSON document', '{\n  "Users": []\n}'],
    ['an unrelated one-line JSON object', '{"Users":[]}'],
  ])('rejects %s, listing the accepted shapes', (_name, text) => {
    const error = errorOf(parseInputText(text, base));
    expect(error).toMatch(/^input\.json: a JSON document of none of the accepted shapes; expected /);
    expect(error).toContain('{"awslogs":{"data":...}}');
    expect(error).toContain('filter-log-events');
    expect(error).toContain('plain text');
  });

  it('rejects an events document whose events are not a list', () => {
    expect(errorOf(parseInputText('{"events":{}}', { ...base, logGroup: LOG_GROUP }))).toContain(
      '"events" is not an array',
    );
  });

  it('reads an empty input as no lines', () => {
    expect(batchOf(parseInputText('\n', base)).stats.lines).toBe(0);
  });
});

describe('splitLogText', () => {
  it('keeps indented and closing lines with the event before them', () => {
    expect(splitLogText('a {\r\n  b: 1\r\n}\nSTART x\n\n  orphan?')).toEqual([
      'a {\n  b: 1\n}',
      'START x\n  orphan?',
    ]);
  });
});
