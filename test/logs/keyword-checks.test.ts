/**
 * The cheap checks before a message or record is searched: a text line's `triggerSource` search
 * stands in for the keyword RegExp (counted, never timed); a record's level in any case.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TRIGGERS } from '../../contracts/triggers';
import { keywordsFor } from '../../logs/line-state';
import { parseLogLine } from '../../logs/parse-line';
import { jsonAppRecord, loggedPreSignUpEvent, REQUEST_ID, textLine } from '../support/log-payloads';

const LOG_GROUP = '/aws/lambda/shop-presignup';
const origin = { logGroup: LOG_GROUP, timestamp: '' };
const options = { resolveLogGroup: () => ({ trigger: 'PreSignUp' as const }) };

afterEach(() => {
  vi.restoreAllMocks();
});

/** How often the keyword RegExp of the PreSignUp log group runs while `fn` does. */
const keywordRuns = (fn: () => unknown): number => {
  const keywords = keywordsFor('PreSignUp').source;
  const exec = vi.spyOn(RegExp.prototype, 'exec');
  fn();
  const runs = exec.mock.contexts.filter((regex) => (regex as RegExp).source === keywords).length;
  exec.mockRestore();
  return runs;
};

describe('a text line with a `{`', () => {
  it('every group has `triggerSource` among its keywords, so finding it is finding a keyword', () => {
    for (const trigger of [...TRIGGERS, undefined]) {
      expect(keywordsFor(trigger).test('triggerSource')).toBe(true);
    }
  });

  it('holding an event: found by one search for `triggerSource`, without the keyword RegExp', () => {
    const line = textLine(REQUEST_ID, 'INFO', `Returning ${JSON.stringify(loggedPreSignUpEvent(1))}`);
    let result: ReturnType<typeof parseLogLine> | undefined;
    expect(keywordRuns(() => (result = parseLogLine(line, origin, options)))).toBe(0);
    expect(result).toMatchObject({
      status: 'signal',
      observations: [{ kind: 'trigger-payload', shape: 'event' }],
    });
  });

  it('holding another keyword: the RegExp still finds it; holding none: quiet', () => {
    const response = textLine(REQUEST_ID, 'INFO', 'response { autoConfirmUser: true, autoVerifyEmail: 1 }');
    let result: ReturnType<typeof parseLogLine> | undefined;
    expect(keywordRuns(() => (result = parseLogLine(response, origin, options)))).toBe(1);
    expect(result).toMatchObject({
      status: 'signal',
      observations: [{ kind: 'trigger-payload', shape: 'response', trigger: 'PreSignUp' }],
    });
    const quiet = textLine(REQUEST_ID, 'INFO', 'config { retries: 3 } triggerSource');
    expect(parseLogLine(quiet, origin, options)).toEqual({ status: 'quiet' });
  });
});

describe('a JSON application record', () => {
  const details = { errorType: 'TypeError', errorMessage: 'x is undefined' };

  it.each(['ERROR', 'error', 'Fatal', 'FATAL'])(
    'at level %s with error details is a function error',
    (level) => {
      const result = parseLogLine(jsonAppRecord(REQUEST_ID, level, details), origin, options);
      expect(result).toMatchObject({
        status: 'signal',
        observations: [{ kind: 'function-error', errorType: 'TypeError', requestId: REQUEST_ID }],
      });
    },
  );

  it.each(['INFO', 'WARN', 'DEBUG', 'Errors', 'err'])('at level %s is not', (level) => {
    const result = parseLogLine(jsonAppRecord(REQUEST_ID, level, details), origin, options);
    expect(result.status === 'signal' ? result.observations.map((o) => o.kind) : []).not.toContain(
      'function-error',
    );
  });
});
