import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRIGGERS } from '../../contracts/triggers';
import { DETECTOR_IDS, type DetectorId, type Finding } from '../../detectors/types';
import {
  getRunbookSection,
  listRunbookSections,
  renderRunbookSection,
  runbookSectionId,
} from '../../runbook';
import { describeUserPool, getFunctionConfiguration, toCommandContext } from '../../runbook/commands';
import { GENERAL_SECTION_ID } from '../../runbook/sections/general';
import type { RunbookSection } from '../../runbook/types';
import { CLIENT, FUNCTION, LOG_GROUP, POOL, presignupFinding, REQUEST_ID } from '../alerts/findings';

const TIMESTAMP = '2024-06-03T09:35:00.000Z';

const detectorOf = (id: string): DetectorId =>
  id.startsWith('trigger-response-invalid')
    ? 'trigger-response-invalid'
    : (((DETECTOR_IDS as readonly string[]).includes(id) ? id : 'trigger-error') as DetectorId);

const triggerOf = (id: string) =>
  TRIGGERS.find((trigger) => runbookSectionId('trigger-response-invalid', trigger) === id);

/** A finding with every location field known, as the trigger-log detectors produce them. */
const findingFor = (id: string, overrides: Partial<Finding> = {}): Finding => {
  const trigger = triggerOf(id) ?? 'PreSignUp';
  return presignupFinding({
    detector: detectorOf(id),
    title: `${trigger} returned autoConfirmUser as a string ("true"), Cognito expects a boolean`,
    trigger,
    triggerSource: `${trigger}_SignUp`,
    timestamp: TIMESTAMP,
    evidence: [`${TIMESTAMP}\t${REQUEST_ID}\tINFO\t{ response: { autoConfirmUser: 'true' } }`],
    dedupKey: `${detectorOf(id)}:${POOL}:${trigger}:response.autoConfirmUser`,
    runbook: id,
    ...overrides,
  });
};

const commandsOf = (section: RunbookSection, finding: Finding): string[] => {
  const context = toCommandContext(finding);
  return [
    ...section.firstTenMinutes(finding, context),
    ...section.fix(finding, context),
    ...section.verify(finding, context),
  ]
    .map((step) => step.command)
    .filter((command): command is string => command !== undefined);
};

const sections = listRunbookSections();
const sectionIds = sections.map((section) => section.id);
const functionSections = sections.filter(
  (section) => section.id.startsWith('trigger-') && section.id !== 'trigger-wiring-broken',
);

describe('runbook sections', () => {
  it('has unique ids', () => {
    expect(new Set(sectionIds).size).toBe(sectionIds.length);
  });

  it.each(DETECTOR_IDS)('has a section for detector %s', (detector) => {
    expect(getRunbookSection(runbookSectionId(detector))?.id).toBe(detector);
  });

  it.each(TRIGGERS)('has a contract section for trigger %s', (trigger) => {
    const id = `trigger-response-invalid-${trigger.toLowerCase()}`;
    const section = getRunbookSection(id);
    expect(section?.title).toContain(trigger);
    expect(section?.contract?.length ?? 0).toBeGreaterThan(0);
    expect(runbookSectionId('trigger-response-invalid', trigger)).toBe(id);
  });

  it('names the generic contract section when the trigger is unknown', () => {
    expect(runbookSectionId('trigger-response-invalid')).toBe('trigger-response-invalid');
    expect(getRunbookSection('trigger-response-invalid')).toBeDefined();
  });

  it.each(sectionIds)('renders %s as text and markdown with the finding’s values filled in', (id) => {
    const finding = findingFor(id);
    const text = renderRunbookSection(finding, 'text');
    const markdown = renderRunbookSection(finding, 'markdown');

    expect(text.id).toBe(id);
    expect(markdown.id).toBe(id);
    for (const body of [text.body, markdown.body]) {
      expect(body).toContain(POOL);
      expect(body).toContain('--region us-east-1');
      expect(body).not.toContain('<user-pool-id>');
      expect(body).not.toContain('<region>');
      expect(body).toContain('First ten minutes');
      expect(body).toContain('Likely causes');
      expect(body).toContain('How to verify the fix');
    }
    expect(markdown.body).toContain('```sh');
    expect(text.body).not.toContain('```');
  });

  it.each(functionSections.map((section) => section.id))(
    'puts the function name, log group and request id into the commands of %s',
    (id) => {
      const section = getRunbookSection(id) as RunbookSection;
      const commands = commandsOf(section, findingFor(id)).join('\n');
      expect(commands).toContain(`--function-name ${FUNCTION}`);
      expect(commands).toContain(`--log-group-name ${LOG_GROUP}`);
      expect(commands).toContain(`'"${REQUEST_ID}"'`);
      expect(commands).not.toMatch(/<(function-name|log-group|user-pool-id|region)>/);
    },
  );

  it('asks the pool for its LambdaConfig with the finding’s pool and region', () => {
    const section = getRunbookSection('trigger-response-invalid-presignup') as RunbookSection;
    expect(commandsOf(section, findingFor(section.id))).toContain(
      `aws cognito-idp describe-user-pool --user-pool-id ${POOL} --region us-east-1 --query UserPool.LambdaConfig`,
    );
  });

  it('filters the log for the offending field when the request id is unknown', () => {
    const section = getRunbookSection('trigger-response-invalid-presignup') as RunbookSection;
    const commands = commandsOf(section, findingFor(section.id, { requestId: undefined }));
    expect(commands.some((command) => command.includes(`--filter-pattern '"autoConfirmUser"'`))).toBe(true);
  });

  it('starts the log search 15 minutes before the evidence and ends it 15 minutes after', () => {
    const c = toCommandContext(findingFor('trigger-timeout'));
    expect(c.startTimeMs).toBe(String(Date.parse(TIMESTAMP) - 15 * 60_000));
    expect(c.endTimeMs).toBe(String(Date.parse(TIMESTAMP) + 15 * 60_000));
  });

  it('counts UNCONFIRMED users in the PreSignUp section', () => {
    const section = getRunbookSection('trigger-response-invalid-presignup') as RunbookSection;
    expect(commandsOf(section, findingFor(section.id))).toContain(
      `aws cognito-idp list-users --user-pool-id ${POOL} --region us-east-1 --filter 'cognito:user_status = "UNCONFIRMED"' --query 'length(Users)'`,
    );
  });

  it('rolls back through update-alias and verifies with scan-logs and check', () => {
    const section = getRunbookSection('trigger-response-invalid-presignup') as RunbookSection;
    const commands = commandsOf(section, findingFor(section.id)).join('\n');
    expect(commands).toContain(`aws lambda update-alias --function-name ${FUNCTION} --region us-east-1`);
    expect(commands).toContain(
      `npx cognito-sentinel scan-logs --log-group ${LOG_GROUP} --trigger-map ${LOG_GROUP}=PreSignUp fresh-logs.json`,
    );
    expect(commands).toContain(
      `AWS_REGION=us-east-1 npx cognito-sentinel check --user-pool-id ${POOL} --client-id ${CLIENT} --username <canary-username>`,
    );
  });

  it('derives the region from the pool id when the finding has none', () => {
    const body = renderRunbookSection(
      findingFor('trigger-error', { region: undefined, userPoolId: 'eu-west-1_Q2w3E4r5' }),
      'text',
    ).body;
    expect(body).toContain('--region eu-west-1');
    expect(body).not.toContain('<region>');
  });

  it('derives the function name from a /aws/lambda log group', () => {
    const c = toCommandContext(findingFor('trigger-error', { functionName: undefined }));
    expect(c.functionName).toBe(FUNCTION);
  });

  it('shows placeholders only for values the finding lacks', () => {
    const body = renderRunbookSection(
      {
        detector: 'trigger-timeout',
        severity: 'error',
        title: 'PreSignUp timed out',
        evidence: [],
        dedupKey: 'trigger-timeout',
        runbook: 'trigger-timeout',
      },
      'text',
    ).body;
    expect(body).toContain('--user-pool-id <user-pool-id>');
    expect(body).toContain('--function-name <function-name>');
    expect(body).toContain('--log-group-name <log-group>');
    expect(body).toContain('--region <region>');
  });
});

describe('renderRunbookSection fallbacks', () => {
  it('falls back to the detector’s section when the finding names an unknown section', () => {
    const rendered = renderRunbookSection(
      findingFor('trigger-timeout', { runbook: 'no-such-section' }),
      'text',
    );
    expect(rendered.id).toBe('trigger-timeout');
  });

  it('falls back to the general section when neither the id nor the detector is known', () => {
    const finding = {
      ...findingFor('trigger-timeout'),
      runbook: 'no-such-section',
      detector: 'made-up',
    } as unknown as Finding;
    const rendered = renderRunbookSection(finding, 'markdown');
    expect(rendered.id).toBe(GENERAL_SECTION_ID);
    expect(rendered.body).toContain(POOL);
  });

  it.each([
    ['evidence is null', { evidence: null }],
    ['the log group is a number', { logGroup: 42 }],
    ['the trigger is an object', { trigger: { toLowerCase: 1 }, runbook: 'x' }],
    ['the timestamp is garbage', { timestamp: 'not a time' }],
  ])('never throws when %s', (_name, overrides) => {
    const finding = { ...findingFor('trigger-error'), ...overrides } as unknown as Finding;
    expect(() => renderRunbookSection(finding, 'text')).not.toThrow();
    expect(renderRunbookSection(finding, 'markdown').body.length).toBeGreaterThan(0);
  });
});

describe('shell quoting of finding values', () => {
  const hostile = [
    ['command substitution', 'fn$(touch PWNED)'],
    ['backticks', 'fn`touch PWNED`'],
    ['a semicolon', 'fn; touch PWNED'],
    ['a single quote', "fn'; touch PWNED; echo '"],
    ['spaces and a glob', 'my fn *'],
  ] as const;

  it.each(hostile)(
    'passes a function name with %s to the CLI as one literal argument',
    (_name, functionName) => {
      const dir = mkdtempSync(join(tmpdir(), 'sentinel-quote-'));
      const command = getFunctionConfiguration(
        toCommandContext(findingFor('trigger-error', { functionName })),
      );
      // Swap the AWS CLI for printf so the shell shows exactly the arguments it would pass.
      const output = execFileSync('bash', ['-c', command.replace(/^aws /, "printf '%s\\n' ")], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(output.split('\n')).toContain(functionName);
      expect(existsSync(join(dir, 'PWNED'))).toBe(false);
    },
  );

  it('keeps plain ids unquoted so commands stay readable', () => {
    expect(describeUserPool(toCommandContext(findingFor('trigger-error')))).toContain(
      `--user-pool-id ${POOL} `,
    );
  });

  it.each([
    ['a newline', 'us-east-1_abc\nrm -rf /'],
    ['a leading dash', '--profile=attacker'],
    ['a redaction marker', '[redacted:username]'],
  ])('treats a pool id with %s as unknown', (_name, userPoolId) => {
    expect(toCommandContext(findingFor('trigger-error', { userPoolId })).userPoolId).toBe('<user-pool-id>');
  });
});
