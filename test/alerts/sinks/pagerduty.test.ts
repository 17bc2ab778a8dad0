import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertSinkError, type PagerDutyError } from '../../../alerts/errors';
import { sealAlert, toDraft } from '../../../alerts/seal';
import {
  createPagerDutySink,
  PAGERDUTY_MAX_EVENT_BYTES,
  PAGERDUTY_MAX_SUMMARY_CHARS,
  toPagerDutyDedupKey,
  toPagerDutyEvent,
  toPagerDutySummary,
} from '../../../alerts/sinks/pagerduty';
import { toAlerts } from '../../../alerts/to-alerts';
import type { Alert } from '../../../alerts/types';
import { type PagerDutyServer, ROUTING_KEY, startPagerDutyServer } from '../../support/pagerduty-server';
import { FUNCTION, LOG_GROUP, POOL, presignupFinding, REQUEST_ID, SEED_TITLE } from '../findings';

const RUNBOOK_BASE = 'https://github.com/acme/cognito-sentinel/blob/main/docs/runbook.md';

const alertFor = (
  overrides: Parameters<typeof presignupFinding>[0] = {},
  runbookBaseUrl = RUNBOOK_BASE,
): Alert => {
  const [alert] = toAlerts([presignupFinding(overrides)], { runbookBaseUrl });
  if (alert === undefined) throw new Error('no alert');
  return alert;
};

describe('toPagerDutyEvent', () => {
  it('builds the trigger for the seed incident with stable grouping fields, details and links', () => {
    const alert = alertFor();
    expect(toPagerDutyEvent(alert, ROUTING_KEY)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`,
      payload: {
        summary: SEED_TITLE,
        source: `cognito-idp.us-east-1.amazonaws.com/${POOL}`,
        severity: 'critical',
        timestamp: '2024-06-03T09:35:12.345Z',
        component: 'PreSignUp',
        group: POOL,
        class: 'trigger-response-invalid',
        custom_details: {
          what_broke: SEED_TITLE,
          incident: `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`,
          detector: 'trigger-response-invalid',
          field: 'response.autoConfirmUser',
          expected: 'boolean',
          actual: 'string "true"',
          evidence: [
            `2024-06-03T09:35:12.345Z\t${REQUEST_ID}\tINFO\tresponse { autoConfirmUser: 'true', autoVerifyEmail: false, autoVerifyPhone: false }`,
          ],
          where: {
            user_pool: POOL,
            region: 'us-east-1',
            app_client: '4i2oaatugssocd44d40kb55kni',
            trigger: 'PreSignUp',
            trigger_source: 'PreSignUp_SignUp',
            function: FUNCTION,
            log_group: LOG_GROUP,
            log_stream: '2024/06/03/[$LATEST]e6f4a0c4241adcd70c262d34c0bbc85c',
            request_id: REQUEST_ID,
          },
          when: {
            first_seen: '2024-06-03T09:35:12.345Z',
            last_seen: '2024-06-03T09:35:12.345Z',
            occurrences: 1,
          },
          runbook: `${RUNBOOK_BASE}#trigger-response-invalid-presignup`,
          runbook_section: `${alert.runbook.title}\n\n${alert.runbook.text}`,
        },
      },
      links: [
        {
          href: `${RUNBOOK_BASE}#trigger-response-invalid-presignup`,
          text: "Runbook: PreSignUp returned a response that breaks Cognito's contract",
        },
        {
          href: `https://us-east-1.console.aws.amazon.com/cognito/v2/idp/user-pools/${POOL}?region=us-east-1`,
          text: `Cognito user pool ${POOL}`,
        },
        {
          href: `https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/${FUNCTION}`,
          text: `Lambda function ${FUNCTION}`,
        },
        {
          href: 'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Fshop-presignup',
          text: `Log group ${LOG_GROUP}`,
        },
      ],
      client: 'cognito-sentinel',
      client_url: `${RUNBOOK_BASE}#trigger-response-invalid-presignup`,
    });
    expect(alert.runbook.text).toContain(`describe-user-pool --user-pool-id ${POOL} --region us-east-1`);
  });

  it('builds a resolve with only the routing key, the action and the dedup key', () => {
    const alert = sealAlert({ ...toDraft(alertFor()), action: 'resolve' });
    expect(toPagerDutyEvent(alert, ROUTING_KEY)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`,
    });
  });

  it('keeps two accounts apart: the dedup key and the source carry the account, trigger and resolve alike', () => {
    const scope = (accountId: string) => ({ accountId, stage: 'acme-prod' });
    const key = `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`;
    const resolve = sealAlert({ ...toDraft(alertFor()), action: 'resolve' });

    const one = toPagerDutyEvent(alertFor(), ROUTING_KEY, scope('111122223333'));
    const other = toPagerDutyEvent(alertFor(), ROUTING_KEY, scope('444455556666'));

    expect(one.dedup_key).toBe(`111122223333:${key}`);
    expect(other.dedup_key).toBe(`444455556666:${key}`);
    expect(toPagerDutyEvent(resolve, ROUTING_KEY, scope('111122223333')).dedup_key).toBe(one.dedup_key);
    expect(one.event_action === 'trigger' && one.payload.source).toBe(
      `arn:aws:cognito-idp:us-east-1:111122223333:userpool/${POOL}`,
    );
    expect(one.event_action === 'trigger' && one.payload.custom_details).toMatchObject({
      account: '111122223333',
      stage: 'acme-prod',
    });
  });

  it('sends a reminder as a trigger with the same dedup key', () => {
    const alert = sealAlert({ ...toDraft(alertFor()), action: 'remind' });
    const event = toPagerDutyEvent(alert, ROUTING_KEY);
    expect(event.event_action).toBe('trigger');
    expect(event.dedup_key).toBe(alert.dedupKey);
  });

  it('leaves out the runbook link and client_url when the runbook URL is relative', () => {
    const event = toPagerDutyEvent(alertFor({}, ''), ROUTING_KEY);
    expect(event.event_action === 'trigger' && event.links.map((link) => link.text)).toEqual([
      `Cognito user pool ${POOL}`,
      `Lambda function ${FUNCTION}`,
      `Log group ${LOG_GROUP}`,
    ]);
    expect(event).not.toHaveProperty('client_url');
  });

  it.each([
    [
      'a pool without a region',
      { region: undefined, userPoolId: 'local_AbC' },
      { source: 'cognito-idp/local_AbC', group: 'local_AbC' },
    ],
    [
      'no pool but a function',
      { region: undefined, userPoolId: undefined },
      { source: FUNCTION, group: 'cognito-sentinel' },
    ],
    [
      'a canary finding (client, no trigger)',
      {
        trigger: undefined,
        functionName: undefined,
        logGroup: undefined,
        detector: 'canary-auth-failed' as const,
      },
      { component: 'app-client/4i2oaatugssocd44d40kb55kni', class: 'canary-auth-failed' },
    ],
  ])('uses stable fallbacks for %s', (_name, overrides, expected) => {
    const event = toPagerDutyEvent(alertFor(overrides), ROUTING_KEY);
    expect(event.event_action === 'trigger' && event.payload).toMatchObject(expected);
  });

  it('omits a timestamp that is not a time', () => {
    const event = toPagerDutyEvent(alertFor({ timestamp: 'yesterday' }), ROUTING_KEY);
    expect(event.event_action === 'trigger' && event.payload).not.toHaveProperty('timestamp');
  });
});

describe('toPagerDutySummary', () => {
  it.each([
    ['keeps a short title', 'PreSignUp failed', 'PreSignUp failed'],
    [
      'folds line breaks and control characters',
      'line one\nline two\r\n\tthree\u0007',
      'line one line two three',
    ],
    ['never returns an empty summary', ' \n ', 'cognito-sentinel alert'],
    ['keeps exactly 1024 characters', 'x'.repeat(1024), 'x'.repeat(1024)],
    [
      'cuts 1025 characters without spaces to 1023 plus an ellipsis',
      'x'.repeat(1025),
      `${'x'.repeat(1023)}…`,
    ],
  ])('%s', (_name, input, expected) => {
    expect(toPagerDutySummary(input)).toBe(expected);
  });

  it('cuts a 5,000-character title at a word boundary to at most 1024 characters', () => {
    const title = 'PreSignUp returned autoConfirmUser as a string '.repeat(110);
    const summary = toPagerDutySummary(title);
    expect(summary.length).toBeLessThanOrEqual(PAGERDUTY_MAX_SUMMARY_CHARS);
    expect(summary.length).toBeGreaterThan(PAGERDUTY_MAX_SUMMARY_CHARS - 80);
    const kept = summary.slice(0, -1);
    expect(summary.at(-1)).toBe('…');
    expect(title.startsWith(kept)).toBe(true);
    expect(title[kept.length]).toBe(' ');
  });

  it('never splits a surrogate pair', () => {
    const summary = toPagerDutySummary('🚨'.repeat(600));
    expect(summary.length).toBeLessThanOrEqual(PAGERDUTY_MAX_SUMMARY_CHARS);
    expect(summary).toBe(`${'🚨'.repeat(511)}…`);
  });
});

describe('toPagerDutyDedupKey', () => {
  it('keeps a key of up to 255 characters', () => {
    expect(toPagerDutyDedupKey('k'.repeat(255))).toBe('k'.repeat(255));
  });

  it('shortens a longer key to 255 characters with a hash of the whole key, stably', () => {
    const long = `trigger-response-invalid:${'a'.repeat(400)}`;
    const key = toPagerDutyDedupKey(long);
    expect(key).toHaveLength(255);
    expect(key).toBe(toPagerDutyDedupKey(long));
    expect(key).not.toBe(toPagerDutyDedupKey(`${long}b`));
    expect(key.startsWith('trigger-response-invalid:aaa')).toBe(true);
  });
});

describe('event size', () => {
  it('keeps a huge alert under 512 KB by cutting the details', () => {
    const alert = alertFor();
    const huge: Alert = {
      ...alert,
      finding: {
        ...alert.finding,
        evidence: Array.from({ length: 5 }, (_, i) => `${i}${'e'.repeat(200_000)}`),
      },
      runbook: { ...alert.runbook, text: 'r'.repeat(300_000) },
    };
    const event = toPagerDutyEvent(huge, ROUTING_KEY);
    const bytes = Buffer.byteLength(JSON.stringify(event));
    expect(bytes).toBeLessThanOrEqual(PAGERDUTY_MAX_EVENT_BYTES);
    expect(JSON.stringify(event)).toContain('cut to keep the PagerDuty event under 512 KB');
    expect(event.event_action === 'trigger' && event.payload.summary).toBe(alert.title);
  });
});

describe('createPagerDutySink against the local Events API', () => {
  let server: PagerDutyServer;
  beforeAll(async () => {
    server = await startPagerDutyServer();
  });
  afterAll(async () => server.close());
  beforeEach(() => server.reset());

  const sink = (options: Partial<Parameters<typeof createPagerDutySink>[0]> = {}) =>
    createPagerDutySink({
      routingKey: ROUTING_KEY,
      endpoint: server.endpoint,
      timeBudgetMs: 1_500,
      attemptTimeoutMs: 500,
      backoffMs: 20,
      maxBackoffMs: 100,
      random: () => 0.5,
      circuitOpenMs: 0,
      ...options,
    });

  it('delivers a trigger that PagerDuty accepts (202)', async () => {
    await sink().send(alertFor());
    expect(server.accepted('trigger')).toHaveLength(1);
    expect(server.alerts.get(alertFor().dedupKey)).toMatchObject({ status: 'triggered', triggers: 1 });
  });

  it('resolves the open alert', async () => {
    await sink().send(alertFor());
    await sink().send(sealAlert({ ...toDraft(alertFor()), action: 'resolve' }));
    expect(server.alerts.get(alertFor().dedupKey)).toMatchObject({ status: 'resolved', resolves: 1 });
  });

  it('truncates a 5,000-character summary and PagerDuty accepts it', async () => {
    const title = `PreSignUp returned autoConfirmUser as a string ${'x'.repeat(4_960)}`;
    expect(title.length).toBeGreaterThanOrEqual(5_000);
    await sink().send(alertFor({ title }));
    const [event] = server.accepted('trigger');
    const summary = (event?.payload as { summary: string } | undefined)?.summary ?? '';
    expect(summary.length).toBeLessThanOrEqual(1024);
    expect(summary.startsWith('PreSignUp returned autoConfirmUser as a string')).toBe(true);
  });

  it('reads the routing key from a resolver (Secrets Manager, SSM)', async () => {
    let calls = 0;
    const pd = sink({
      routingKey: async () => {
        calls += 1;
        return ROUTING_KEY;
      },
    });
    await pd.send(alertFor());
    expect(calls).toBe(1);
    expect(server.accepted()[0]?.routing_key).toBe(ROUTING_KEY);
  });

  it('reports a 400 at once with PagerDuty’s message, without retrying', async () => {
    const sent = sink({ routingKey: 'too-short' }).send(alertFor());
    await expect(sent).rejects.toBeInstanceOf(AlertSinkError);
    await expect(sent).rejects.toThrow(
      /pagerduty could not deliver alert .*PagerDutyError: PagerDuty rejected the event \(HTTP 400 Event object is invalid: 'routing_key' is invalid/,
    );
    expect(server.received).toHaveLength(1);
    const cause = (await sent.catch((error: AlertSinkError) => error.cause)) as PagerDutyError;
    expect(cause).toMatchObject({ name: 'PagerDutyError', status: 400, retryable: false, attempts: 1 });
  });

  it.each([
    ['429', ['429', '429'] as const],
    ['500', ['500', '500'] as const],
    ['a hung connection', ['hang'] as const],
  ])('retries after %s and delivers exactly one trigger', async (_name, failures) => {
    server.respondWith(...failures);
    await sink().send(alertFor());
    expect(server.received.length).toBe(failures.length + 1);
    expect(server.accepted('trigger')).toHaveLength(1);
  });

  it.each([
    ['500', '500' as const, /after \d+ attempts in 1500 ms \(last: HTTP 500 Internal Server Error\)/],
    ['429', '429' as const, /\(last: HTTP 429 Requests for this service are arriving too quickly\.\)/],
    ['hang', 'hang' as const, /\(last: no answer within \d+ ms\)/],
  ])(
    'fails with a clear error when PagerDuty keeps answering %s past the time budget',
    async (_name, mode, message) => {
      server.mode = mode;
      const started = Date.now();
      const error = (await sink()
        .send(alertFor())
        .catch((caught: unknown) => caught)) as AlertSinkError;
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(error).toBeInstanceOf(AlertSinkError);
      expect(error.message).toMatch(message);
      expect(error.cause).toMatchObject({ name: 'PagerDutyError', retryable: true });
      expect(server.accepted()).toEqual([]);
    },
  );

  it('fails at once for a while after PagerDuty used up a whole budget, then tries again', async () => {
    server.mode = '500';
    const pd = sink({ circuitOpenMs: 300, timeBudgetMs: 200 });
    await expect(pd.send(alertFor())).rejects.toThrow(/HTTP 500/);
    const requests = server.received.length;
    server.mode = '202';
    const started = Date.now();
    await expect(pd.send(alertFor())).rejects.toThrow(
      /PagerDuty skipped for 1 s after: PagerDuty did not take the event/,
    );
    expect(Date.now() - started).toBeLessThan(50);
    expect(server.received.length).toBe(requests);
    await new Promise((resolve) => setTimeout(resolve, 320));
    await pd.send(alertFor());
    expect(server.accepted('trigger')).toHaveLength(1);
  });

  it('does not open the circuit for a 400: the next event is still sent', async () => {
    const pd = sink({ circuitOpenMs: 60_000 });
    server.respondWith('400');
    await expect(pd.send(alertFor())).rejects.toThrow(/HTTP 400/);
    await pd.send(alertFor());
    expect(server.accepted('trigger')).toHaveLength(1);
  });

  it('retries network errors and then reports them', async () => {
    const error = (await sink({ endpoint: 'http://127.0.0.1:9/v2/enqueue', timeBudgetMs: 600 })
      .send(alertFor())
      .catch((caught: unknown) => caught)) as AlertSinkError;
    expect(error.message).toMatch(/attempts in 600 ms \(last: network error: /);
    expect((error.cause as PagerDutyError).attempts).toBeGreaterThan(1);
  });

  it('fails with the resolver’s error when the routing key cannot be read', async () => {
    const sent = sink({
      routingKey: async () => {
        throw new Error('secretsmanager:pd: ResourceNotFoundException');
      },
    }).send(alertFor());
    await expect(sent).rejects.toThrow(/could not deliver alert .*ResourceNotFoundException/);
  });
});
