/**
 * Work the reader does per healthy invocation, counted (never timed): which lines are parsed as
 * JSON and which cut strings. A 1 MB batch holds about a thousand such invocations.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseLogEvents } from '../../logs/parse-log-events';
import {
  endLine,
  loggedPreSignUpEvent,
  reportLine,
  requestIdOf,
  startLine,
  textLine,
} from '../support/log-payloads';

const LOG_GROUP = '/aws/lambda/shop-presignup';
const options = { resolveLogGroup: () => ({ trigger: 'PreSignUp' as const, userPoolId: 'eu-west-1_x' }) };

const invocation = (index: number): string[] => {
  const requestId = requestIdOf(index);
  const event = loggedPreSignUpEvent(index);
  return [
    startLine(requestId),
    textLine(requestId, 'INFO', 'Checking sign-up allow-list'),
    textLine(requestId, 'INFO', `Returning ${JSON.stringify(event)}`),
    endLine(requestId),
    reportLine({ requestId, durationMs: 31.62 }),
  ];
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reading healthy invocations', () => {
  it('parses JSON once per logged event and never for START, END, REPORT or plain text lines', () => {
    const lines = Array.from({ length: 20 }, (_, index) => invocation(index)).flat();
    const parse = vi.spyOn(JSON, 'parse');
    const batch = parseLogEvents(
      { logGroup: LOG_GROUP, events: lines.map((message) => ({ message })) },
      options,
    );
    expect(batch.stats).toMatchObject({ lines: 100, withSignal: 40, quiet: 60, unreadable: 0 });
    expect(parse).toHaveBeenCalledTimes(20);
    for (const [text] of parse.mock.calls) expect(text).toMatch(/^\{"version"/);
  });

  it('cuts no request id out of a START line that no later line needs', () => {
    const lines = Array.from({ length: 20 }, (_, index) => invocation(index)).flat();
    const slice = vi.spyOn(String.prototype, 'slice');
    parseLogEvents({ logGroup: LOG_GROUP, events: lines.map((message) => ({ message })) }, options);
    const fromStartLines = slice.mock.contexts.filter((text) => String(text).startsWith('START '));
    expect(fromStartLines).toEqual([]);
  });

  it('searches a START line for the end of its id only when a later line needs the id', () => {
    const lines = Array.from({ length: 20 }, (_, index) => invocation(index)).flat();
    const indexOf = vi.spyOn(String.prototype, 'indexOf');
    const lastIndexOf = vi.spyOn(String.prototype, 'lastIndexOf');
    parseLogEvents({ logGroup: LOG_GROUP, events: lines.map((message) => ({ message })) }, options);
    const searches = [
      ...indexOf.mock.calls.map(([pattern], index) => [indexOf.mock.contexts[index], pattern]),
      ...lastIndexOf.mock.calls.map(([pattern], index) => [lastIndexOf.mock.contexts[index], pattern]),
    ].filter(([text, pattern]) => String(text).startsWith('START ') && pattern !== 'START RequestId:');
    vi.restoreAllMocks();
    expect(searches).toEqual([]);
  });

  it('routes START, END and REPORT lines with one native search each, not a character-by-character compare', () => {
    const lines = Array.from({ length: 20 }, (_, index) => invocation(index)).flat();
    const startsWith = vi.spyOn(String.prototype, 'startsWith');
    const indexOf = vi.spyOn(String.prototype, 'indexOf');
    parseLogEvents({ logGroup: LOG_GROUP, events: lines.map((message) => ({ message })) }, options);
    const compared = startsWith.mock.contexts.map(String);
    const searched = indexOf.mock.calls
      .map(([pattern], index) => [String(indexOf.mock.contexts[index]), pattern] as const)
      .filter(([, pattern]) => String(pattern).endsWith('RequestId:'));
    vi.restoreAllMocks();
    expect(compared.filter((text) => /^(START|END|REPORT) /.test(text))).toEqual([]);
    expect(searched).toHaveLength(60);
  });

  it('keeps nothing of a parsed event past its line: observations hold the verdict, not the parse tree', () => {
    const lines = Array.from({ length: 20 }, (_, index) => invocation(index)).flat();
    const batch = parseLogEvents(
      { logGroup: LOG_GROUP, events: lines.map((message) => ({ message })) },
      options,
    );
    const reachable: object[] = [];
    const visit = (value: unknown): void => {
      if (typeof value !== 'object' || value === null || reachable.includes(value)) return;
      reachable.push(value);
      for (const item of Object.values(value)) visit(item);
    };
    visit(batch.observations);
    const payloads = batch.observations.filter((observation) => observation.kind === 'trigger-payload');
    expect(payloads).toHaveLength(20);
    for (const observation of payloads) expect(observation.violations).toEqual([]);
    // No object of an event's parse tree (its request, response or user attributes) is kept.
    expect(
      reachable.filter(
        (value) => 'autoConfirmUser' in value || 'userAttributes' in value || 'email' in value,
      ),
    ).toEqual([]);
  });
});
