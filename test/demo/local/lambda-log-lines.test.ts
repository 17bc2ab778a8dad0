import { describe, expect, it } from 'vitest';
import {
  toApplicationLine,
  toEndLine,
  toErrorDocument,
  toInvokeErrorLine,
  toReportLine,
  toStartLine,
  toTimeoutMessage,
} from '../../../demo/local';
import type { LogObservation } from '../../../detectors/observations';
import { parseLogLine, toLogOrigin } from '../../../logs';

const ID = 'c793869b-ee49-115b-a5b6-4fd21e8dedac';
const AT = Date.UTC(2024, 4, 1, 12, 0, 0, 562);
const origin = toLogOrigin('/aws/lambda/shop-presignup', { timestamp: AT });
const observe = (line: string): LogObservation[] => {
  const result = parseLogLine(line, origin);
  return result.status === 'signal' ? result.observations : [];
};

describe('Lambda runtime log lines', () => {
  it.each([
    [
      'console.log with format arguments',
      'INFO',
      ['user %s has %d attempts', 'alice', 3],
      'user alice has 3 attempts',
    ],
    ['an object, inspected', 'WARN', [{ autoConfirmUser: 'true' }], "{ autoConfirmUser: 'true' }"],
    ['a multi-line message, kept in one event', 'ERROR', ['a\nb'], 'a\nb'],
    ['no arguments', 'DEBUG', [], ''],
  ] as const)('formats %s', (_case, level, args, message) => {
    expect(toApplicationLine(AT, ID, level, args)).toBe(
      `2024-05-01T12:00:00.562Z\t${ID}\t${level}\t${message}`,
    );
  });

  it('writes START and END as the platform does', () => {
    expect(toStartLine(ID)).toBe(`START RequestId: ${ID} Version: $LATEST`);
    expect(toStartLine(ID, '7')).toBe(`START RequestId: ${ID} Version: 7`);
    expect(toEndLine(ID)).toBe(`END RequestId: ${ID}`);
  });

  it.each([
    [
      'a warm invocation',
      { requestId: ID, durationMs: 128.834, memorySizeMb: 128, maxMemoryUsedMb: 74 },
      `REPORT RequestId: ${ID}\tDuration: 128.83 ms\tBilled Duration: 129 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\t`,
    ],
    [
      'a cold start',
      { requestId: ID, durationMs: 2.1, memorySizeMb: 256, maxMemoryUsedMb: 80, initDurationMs: 166.624 },
      `REPORT RequestId: ${ID}\tDuration: 2.10 ms\tBilled Duration: 3 ms\tMemory Size: 256 MB\tMax Memory Used: 80 MB\tInit Duration: 166.62 ms\t`,
    ],
    [
      'a timeout',
      {
        requestId: ID,
        durationMs: 3000.4,
        memorySizeMb: 128,
        maxMemoryUsedMb: 64,
        status: 'timeout' as const,
      },
      `REPORT RequestId: ${ID}\tDuration: 3000.40 ms\tBilled Duration: 3001 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tStatus: timeout`,
    ],
    [
      'a sub-millisecond invocation, billed 1 ms',
      { requestId: ID, durationMs: 0.004, memorySizeMb: 128, maxMemoryUsedMb: 60 },
      `REPORT RequestId: ${ID}\tDuration: 0.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t`,
    ],
  ])('writes the REPORT of %s, read back by the log parser', (_case, fields, line) => {
    expect(toReportLine(fields)).toBe(line);
    expect(observe(line)).toEqual([
      expect.objectContaining({
        kind: 'invocation-report',
        requestId: ID,
        memorySizeMb: fields.memorySizeMb,
        maxMemoryUsedMb: fields.maxMemoryUsedMb,
        ...('initDurationMs' in fields ? { initDurationMs: 166.62 } : {}),
        ...('status' in fields ? { status: 'timeout' } : {}),
      }),
    ]);
  });

  it('writes the timeout message with the elapsed seconds, read back as a timeout', () => {
    const message = toTimeoutMessage(AT, ID, 3_004.2);

    expect(message).toBe(`2024-05-01T12:00:00.562Z ${ID} Task timed out after 3.00 seconds`);
    expect(observe(message)).toEqual([
      expect.objectContaining({ kind: 'timeout', requestId: ID, afterSeconds: 3 }),
    ]);
  });

  it('writes Invoke Error with the error, its code, own properties and stack as JSON', () => {
    const error = Object.assign(new TypeError('bad input'), { code: 'E_BAD', field: 'email' });
    const line = toInvokeErrorLine(AT, ID, error);

    expect(line.startsWith(`2024-05-01T12:00:00.562Z\t${ID}\tERROR\tInvoke Error \t{`)).toBe(true);
    const json = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;
    expect(json).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'bad input',
      code: 'E_BAD',
      field: 'email',
    });
    expect((json.stack as string[])[0]).toBe('TypeError: bad input');
    expect(observe(line)).toEqual([
      expect.objectContaining({
        kind: 'function-error',
        label: 'invoke-error',
        requestId: ID,
        errorType: 'TypeError',
        errorMessage: 'bad input',
      }),
    ]);
  });

  it.each([
    ['a thrown string', 'boom', { errorType: 'string', errorMessage: 'boom', trace: [] }],
    ['a thrown number', 42, { errorType: 'number', errorMessage: '42', trace: [] }],
    [
      'a thrown undefined',
      undefined,
      {
        errorType: 'handled',
        errorMessage:
          'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      },
    ],
  ])('answers %s with the runtime error document', (_case, thrown, document) => {
    expect(toErrorDocument(thrown)).toEqual(document);
  });

  it('answers an Error with its type, message and trace', () => {
    const document = toErrorDocument(new RangeError('too far'));

    expect(document.errorType).toBe('RangeError');
    expect(document.errorMessage).toBe('too far');
    expect(document.trace?.[0]).toBe('RangeError: too far');
  });
});
