import { describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_POLICY } from '../../alerts/incident-policy';
import {
  type AlertsConfig,
  applyAlertsEnv,
  parseAlertsConfig,
  toIncidentPolicy,
} from '../../config/alerts-config';
import { ConfigError } from '../../runtime/errors';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:cognito-sentinel-alerts';
const CHAT = 'arn:aws:sns:us-east-1:123456789012:cognito-sentinel-chat';

describe('alerts config', () => {
  it('accepts a full alerts section', () => {
    expect(
      parseAlertsConfig({
        snsTopicArn: TOPIC,
        chatbotTopicArn: CHAT,
        pagerDuty: { routingKey: 'secretsmanager:cognito-sentinel/pagerduty#routingKey', timeBudgetMs: 5000 },
        incidentTable: 'cognito-sentinel-incidents',
        runbookBaseUrl: 'https://github.com/acme/cognito-sentinel/blob/main/docs/runbook.md',
        reminderIntervalMinutes: 0,
        resolve: { canaryPasses: 3, logQuietWindowMinutes: 30 },
        flapping: { maxReopens: 4, windowMinutes: 120 },
      }),
    ).toEqual({
      snsTopicArn: TOPIC,
      chatbotTopicArn: CHAT,
      pagerDuty: {
        routingKey: { store: 'secretsmanager', name: 'cognito-sentinel/pagerduty', jsonKey: 'routingKey' },
        timeBudgetMs: 5000,
      },
      incidentTable: 'cognito-sentinel-incidents',
      runbookBaseUrl: 'https://github.com/acme/cognito-sentinel/blob/main/docs/runbook.md',
      reminderIntervalMinutes: 0,
      resolve: { canaryPasses: 3, logQuietWindowMinutes: 30 },
      flapping: { maxReopens: 4, windowMinutes: 120 },
    });
  });

  it.each([
    [
      { pagerDuty: { routingKey: 'R0UT1NGK3Y0000000000000000000032' } },
      /alerts\.pagerDuty\.routingKey: expected secretsmanager:NAME/,
    ],
    [{ snsTopicArn: 'alerts' }, /alerts\.snsTopicArn: expected an SNS topic ARN/],
    [{ resolve: { canaryPasses: 0 } }, /alerts\.resolve\.canaryPasses/],
    [{ reminderIntervalMinutes: -5 }, /alerts\.reminderIntervalMinutes/],
    [{ incidentTable: 'x' }, /alerts\.incidentTable: expected a DynamoDB table name/],
    [{ pagerduty: {} }, /alerts: Unrecognized key/],
  ])('names the bad key: %j', (raw, message) => {
    expect(() => parseAlertsConfig(raw)).toThrow(ConfigError);
    expect(() => parseAlertsConfig(raw)).toThrow(message);
  });

  it('turns the config into incident rules, defaults filled in', () => {
    expect(toIncidentPolicy({})).toEqual(DEFAULT_INCIDENT_POLICY);
    expect(
      toIncidentPolicy({
        reminderIntervalMinutes: 0,
        resolve: { canaryPasses: 3, logQuietWindowMinutes: 30 },
        flapping: { maxReopens: 5, windowMinutes: 90 },
      }),
    ).toEqual({
      ...DEFAULT_INCIDENT_POLICY,
      reminderIntervalMs: 0,
      passesToResolve: 3,
      quietWindowMs: 30 * 60_000,
      flapMaxReopens: 5,
      flapWindowMs: 90 * 60_000,
    });
  });
});

const DASHBOARD =
  'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=cognito-sentinel-prod';

describe('stack variables over the config', () => {
  const base: AlertsConfig = { snsTopicArn: TOPIC, resolve: { canaryPasses: 3 } };

  it('sets what the stack created and keeps the rest', () => {
    expect(
      applyAlertsEnv(base, {
        SENTINEL_ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:stack-alerts',
        SENTINEL_CHATBOT_TOPIC_ARN: CHAT,
        SENTINEL_INCIDENT_TABLE: 'cognito-sentinel-prod-incidents',
        SENTINEL_PAGERDUTY_ROUTING_KEY: 'ssm:/cognito-sentinel/pagerduty',
        SENTINEL_RESOLVE_QUIET_MINUTES: '20',
        SENTINEL_REMINDER_INTERVAL_MINUTES: '60',
        SENTINEL_DASHBOARD_URL: DASHBOARD,
      }),
    ).toEqual({
      dashboardUrl: DASHBOARD,
      snsTopicArn: 'arn:aws:sns:us-east-1:123456789012:stack-alerts',
      chatbotTopicArn: CHAT,
      incidentTable: 'cognito-sentinel-prod-incidents',
      pagerDuty: { routingKey: { store: 'ssm', name: '/cognito-sentinel/pagerduty' } },
      resolve: { canaryPasses: 3, logQuietWindowMinutes: 20 },
      reminderIntervalMinutes: 60,
    });
  });

  it('changes nothing when no variable is set', () => {
    expect(applyAlertsEnv(base, { SENTINEL_INCIDENT_TABLE: '' })).toEqual(base);
  });

  it.each([
    [
      { SENTINEL_PAGERDUTY_ROUTING_KEY: 'R0UT1NGK3Y0000000000000000000032' },
      /SENTINEL_PAGERDUTY_ROUTING_KEY: expected secretsmanager:NAME/,
    ],
    [{ SENTINEL_ALERT_TOPIC_ARN: 'alerts' }, /SENTINEL_ALERT_TOPIC_ARN: expected an SNS topic ARN/],
    [{ SENTINEL_INCIDENT_TABLE: 'a' }, /SENTINEL_INCIDENT_TABLE/],
    [{ SENTINEL_RESOLVE_CANARY_PASSES: 'two' }, /SENTINEL_RESOLVE_CANARY_PASSES/],
    [
      { SENTINEL_DASHBOARD_URL: 'cognito-sentinel-prod' },
      /SENTINEL_DASHBOARD_URL: expected an http\(s\) URL/,
    ],
    [
      { SENTINEL_PAGERDUTY_ENDPOINT: 'https://events.eu.pagerduty.com/v2/enqueue' },
      /no routing key is configured/,
    ],
  ])('names the bad variable: %j', (env, message) => {
    expect(() => applyAlertsEnv({}, env)).toThrow(ConfigError);
    expect(() => applyAlertsEnv({}, env)).toThrow(message);
  });

  it('never repeats a routing key given in plain text in the error', () => {
    const key = 'R0UT1NGK3Y0000000000000000000032';
    const messageOf = (run: () => unknown): string => {
      try {
        run();
        return '';
      } catch (error) {
        return String(error);
      }
    };
    const fromEnv = messageOf(() => applyAlertsEnv({}, { SENTINEL_PAGERDUTY_ROUTING_KEY: key }));
    const fromFile = messageOf(() => parseAlertsConfig({ pagerDuty: { routingKey: key } }));
    expect(fromEnv).toContain('SENTINEL_PAGERDUTY_ROUTING_KEY');
    expect(fromFile).toContain('alerts.pagerDuty.routingKey');
    expect(`${fromEnv}${fromFile}`).not.toContain(key);
  });
});
