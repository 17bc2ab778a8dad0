import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSnsPublishInput } from '../../alerts/sinks/sns';
import { MAX_EVIDENCE_LINES, toAlerts } from '../../alerts/to-alerts';
import { allStrings, FUNCTION, LOG_GROUP, POOL, presignupFinding, REQUEST_ID } from './findings';
import { plantedFinding } from './secrets';

const minutesAfter = (minutes: number) =>
  new Date(Date.parse('2024-06-03T09:35:00.000Z') + minutes * 60_000).toISOString();

describe('toAlerts', () => {
  it('returns no alerts for no findings', () => {
    expect(toAlerts([])).toEqual([]);
  });

  it('groups 100 identical findings into one alert with 100 occurrences', () => {
    const findings = Array.from({ length: 100 }, (_, index) =>
      presignupFinding({ timestamp: minutesAfter(index) }),
    );
    const alerts = toAlerts(findings);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      action: 'trigger',
      dedupKey: `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`,
      detector: 'trigger-response-invalid',
      severity: 'critical',
      occurrences: 100,
      firstSeen: minutesAfter(0),
      lastSeen: minutesAfter(99),
    });
  });

  it('counts a collapsed finding as its occurrences and takes its first and last seen', () => {
    const alerts = toAlerts([
      presignupFinding({ timestamp: minutesAfter(5) }),
      presignupFinding({
        timestamp: minutesAfter(1),
        occurrences: 600,
        firstSeen: minutesAfter(1),
        lastSeen: minutesAfter(9),
      }),
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      occurrences: 601,
      firstSeen: minutesAfter(1),
      lastSeen: minutesAfter(9),
    });
  });

  it('makes one alert per dedup key, in the order the keys were first seen', () => {
    const alerts = toAlerts([
      presignupFinding({ dedupKey: 'b' }),
      presignupFinding({ dedupKey: 'a' }),
      presignupFinding({ dedupKey: 'b' }),
    ]);
    expect(alerts.map((alert) => [alert.dedupKey, alert.occurrences])).toEqual([
      ['b', 2],
      ['a', 1],
    ]);
  });

  it('takes the worst severity of the group and the latest finding as representative', () => {
    const [alert] = toAlerts([
      presignupFinding({
        severity: 'warning',
        timestamp: minutesAfter(5),
        requestId: 'aaaaaaaa-0000-4000-8000-000000000001',
      }),
      presignupFinding({
        severity: 'critical',
        timestamp: minutesAfter(1),
        requestId: 'aaaaaaaa-0000-4000-8000-000000000002',
      }),
      presignupFinding({
        severity: 'critical',
        timestamp: minutesAfter(3),
        requestId: 'aaaaaaaa-0000-4000-8000-000000000003',
      }),
    ]);
    expect(alert?.severity).toBe('critical');
    expect(alert?.finding.requestId).toBe('aaaaaaaa-0000-4000-8000-000000000003');
    expect(alert?.firstSeen).toBe(minutesAfter(1));
    expect(alert?.lastSeen).toBe(minutesAfter(5));
  });

  it(`keeps at most ${MAX_EVIDENCE_LINES} distinct evidence lines`, () => {
    const findings = Array.from({ length: 8 }, (_, index) =>
      presignupFinding({ evidence: [`line ${index % 7}`, `line ${index % 7}`] }),
    );
    const [alert] = toAlerts(findings);
    expect(alert?.finding.evidence).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
  });

  it('omits first and last seen when no finding has a timestamp', () => {
    const [alert] = toAlerts([presignupFinding({ timestamp: undefined })]);
    expect(alert).not.toHaveProperty('firstSeen');
    expect(alert).not.toHaveProperty('lastSeen');
  });

  it('attaches the runbook section for the trigger, in text and markdown, with commands filled in', () => {
    const [alert] = toAlerts([presignupFinding()]);
    expect(alert?.runbook.id).toBe('trigger-response-invalid-presignup');
    expect(alert?.runbook.title).toContain('PreSignUp');
    expect(alert?.runbook.text).toContain(`--user-pool-id ${POOL} --region us-east-1`);
    expect(alert?.runbook.markdown).toContain('```sh');
  });

  describe('report', () => {
    const [alert] = toAlerts([
      presignupFinding({ timestamp: minutesAfter(0) }),
      presignupFinding({ timestamp: minutesAfter(4) }),
    ]);
    const report = alert?.report ?? '';

    it.each([
      [
        'what broke, in its first line',
        'CRITICAL: PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a boolean\n',
      ],
      ['expected and actual', 'Expected:     boolean'],
      ['the actual value', 'Actual:       string "true"'],
      ['the evidence excerpt', "autoConfirmUser: 'true'"],
      ['the pool', `User pool:    ${POOL}`],
      ['the region', 'Region:       us-east-1'],
      ['the trigger and trigger source', 'Trigger:      PreSignUp (PreSignUp_SignUp)'],
      ['the function', `Function:     ${FUNCTION}`],
      ['the log group', `Log group:    ${LOG_GROUP}`],
      ['the request id', `Request id:   ${REQUEST_ID}`],
      [
        'since when and how often',
        `Seen 2 times in this batch, first at ${minutesAfter(0)}, last at ${minutesAfter(4)}.`,
      ],
      [
        'the runbook link',
        "Runbook: PreSignUp returned a response that breaks Cognito's contract (docs/runbook.md#trigger-response-invalid-presignup)",
      ],
      [
        'a filled-in LambdaConfig command',
        `aws cognito-idp describe-user-pool --user-pool-id ${POOL} --region us-east-1 --query UserPool.LambdaConfig`,
      ],
      ['how to verify the fix', 'How to verify the fix'],
      ['the check command', `npx cognito-sentinel check --user-pool-id ${POOL}`],
    ])('states %s', (_name, text) => {
      expect(report.startsWith(text) || report.includes(text)).toBe(true);
    });

    it('starts with the one-line summary', () => {
      expect(report.split('\n')[0]).toBe(
        'CRITICAL: PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a boolean',
      );
    });
  });

  it('redacts the title, evidence, field and actual value', () => {
    const [alert] = toAlerts([
      presignupFinding({
        title: 'PreSignUp failed for mary_major@example.com',
        field: 'request.userAttributes.email',
        actual: 'string "mary_major@example.com"',
        evidence: [JSON.stringify({ userName: 'mary_major2', request: { password: 'Hunter2!x' } })],
      }),
    ]);
    const strings = allStrings(alert).join('\n');
    for (const secret of ['mary_major@example.com', 'mary_major2', 'Hunter2!x'])
      expect(strings).not.toContain(secret);
    expect(alert?.title).toBe('PreSignUp failed for [redacted:email]');
  });

  it('names an alert after its detector when the finding has no title', () => {
    const [alert] = toAlerts([presignupFinding({ title: '  ' })]);
    expect(alert?.title).toBe('trigger-response-invalid finding');
  });
});

describe('secrets planted in findings', () => {
  it('never reach the alerts or the SNS publish input (property)', () => {
    fc.assert(
      fc.property(fc.array(plantedFinding, { minLength: 1, maxLength: 3 }), (planted) => {
        const alerts = toAlerts(planted.map(({ finding }) => finding));
        const outputs = allStrings([
          alerts,
          alerts.map((alert) => toSnsPublishInput(alert, 'arn:aws:sns:us-east-1:123456789012:alerts')),
        ]);
        for (const needle of planted.flatMap(({ needles }) => needles)) {
          const leak = outputs.find((text) => text.includes(needle));
          expect(leak, `leaked ${JSON.stringify(needle)}`).toBeUndefined();
        }
      }),
      { numRuns: 300 },
    );
  });
});
