/**
 * Log content must not drive the reader's terminal or mail client: a clear-screen, a window-title
 * change and a red "FAKE: all clear" written by a trigger function come out of `scan-logs --format
 * text` (the installed bin), its stderr warnings, the SNS email and Chatbot text as visible escapes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { toChatbotNotification } from '../../alerts/sinks/chatbot';
import { toPagerDutyEvent } from '../../alerts/sinks/pagerduty';
import { toSnsPublishInput } from '../../alerts/sinks/sns';
import { toAlerts } from '../../alerts/to-alerts';
import { toResolveLogGroup } from '../../config/trigger-logs-config';
import { runTriggerLogDetectors } from '../../detectors';
import { DEFAULT_DETECTOR_CONFIG } from '../../detectors/types';
import { parseInputText } from '../../logs';
import { escapeControl } from '../../redaction/escape-control';
import { endLine, invokeErrorLine, startLine, timeoutLine } from '../support/log-payloads';

const root = new URL('../../', import.meta.url).pathname;
const LOG_GROUP = '/aws/lambda/shop-presignup';
const CLEAR = '\x1b[2J';
const TITLE = '\x1b]0;title\x07';
const FAKE = '\x1b[31mFAKE: all clear\x1b[0m';
const CSI = '\x9b31m';
// Any control character but line feed and tab (ESC, BEL, the C1 CSI, ...): none may leave raw.
const RAW_CONTROL = /(?![\n\t])\p{Cc}/u;

const REQUEST_A = '6f1c0a52-3b7e-4c1e-9a51-1f2d3c4b5a6e';
const REQUEST_B = '0b9d8c7e-6f5a-4b3c-8d2e-1a0f9e8d7c6b';
const hostileLines = [
  startLine(REQUEST_A),
  invokeErrorLine(REQUEST_A, { errorType: 'TypeError', errorMessage: `${CLEAR}${TITLE}${FAKE}${CSI}` }),
  endLine(REQUEST_A),
  startLine(REQUEST_B),
  // Raw bytes in a platform line, not JSON-escaped.
  `${timeoutLine(REQUEST_B).trimEnd()} ${CLEAR}${TITLE}${FAKE}\n`,
  // An unreadable trigger event whose problem becomes a stderr warning.
  `{"triggerSource":"${FAKE}","response":{"autoConfirmUser":"true"}}\n`,
].join('');

describe('control characters from log content', () => {
  it('escapes ESC, BEL and CSI visibly, keeping line feeds and tabs', () => {
    expect(escapeControl(`a${CLEAR}b\x07c\x9bd\r\n\te`)).toBe('a\\x1b[2Jb\\x07c\\x9bd\\x0d\n\te');
    expect(escapeControl('one\ntwo', { multiline: false })).toBe('one\\x0atwo');
  });

  it('scan-logs --format text (the installed bin) prints no raw ESC or BEL, on stdout or stderr', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'control-')), 'hostile.log');
    writeFileSync(path, hostileLines);
    const bin = join(root, 'bin', 'cognito-sentinel.mjs');
    const result = await promisify(execFile)(
      process.execPath,
      [
        bin,
        'scan-logs',
        path,
        '--format',
        'text',
        '--log-group',
        LOG_GROUP,
        '--trigger-map',
        `${LOG_GROUP}=PreSignUp`,
      ],
      { cwd: root },
    ).catch((failure: { code: number; stdout: string; stderr: string }) => failure);

    expect(result.stdout).toContain('FAKE: all clear');
    expect(result.stdout).toContain('\\x1b[31m');
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });

  it('the SNS email, its subject, the Chatbot text and the PagerDuty summary carry no raw control character', () => {
    const logGroups = { [LOG_GROUP]: { trigger: 'PreSignUp' as const } };
    const parsed = parseInputText(hostileLines, {
      name: 'hostile.log',
      logGroup: LOG_GROUP,
      resolveLogGroup: toResolveLogGroup(logGroups),
    });
    if ('error' in parsed) throw new Error(parsed.error);
    const findings = runTriggerLogDetectors(parsed.observations, {
      config: { ...DEFAULT_DETECTOR_CONFIG },
      now: new Date('2024-05-01T12:05:00Z'),
    });
    const alerts = toAlerts(findings);
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) {
      const { Message = '', Subject = '' } = toSnsPublishInput(
        alert,
        'arn:aws:sns:us-east-1:123456789012:alerts',
      );
      expect(Message).not.toMatch(RAW_CONTROL);
      expect(Subject).not.toMatch(RAW_CONTROL);
      const chat = toChatbotNotification(alert);
      expect(`${chat.content.title}${chat.content.description}${chat.metadata.summary}`).not.toMatch(
        RAW_CONTROL,
      );
      const page = toPagerDutyEvent(alert, 'R0UT1NGK3Y0000000000000000000032');
      expect(JSON.stringify(page)).not.toMatch(RAW_CONTROL);
    }
    expect(
      alerts.some((alert) => toSnsPublishInput(alert, 'arn:x').Message?.includes('FAKE: all clear')),
    ).toBe(true);
  });
});
