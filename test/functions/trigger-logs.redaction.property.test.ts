/**
 * Planted secrets on the real log path: a real gzip + base64 subscription payload whose lines carry
 * secrets (JWT, refresh token, password, client secret, SECRET_HASH, email, phone, AWS keys) at
 * every offset around the cut windows (the 160-character title, the 120-character error type, the
 * 400-character excerpt, the SNS subject), read by the real trigger-logs handler, paged through the
 * real alert pipeline to PagerDuty (the local stand-in) and SNS (moto_server). No 8-character
 * window of any secret may reach the PagerDuty body, the SNS subject or message, a log line or the
 * stored incident item.
 */
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryIncidentStore, toIncidentItem } from '../../alerts/incident-store';
import { createAlertPipeline } from '../../alerts/pipeline';
import { createPagerDutySink } from '../../alerts/sinks/pagerduty';
import { createSnsSink } from '../../alerts/sinks/sns';
import { awsClientConfig, readSnsNotifications, startMoto } from '../../demo/local/moto';
import { createHandler } from '../../functions/trigger-logs';
import type { Log } from '../../runtime/telemetry';
import {
  endLine,
  invokeErrorLine,
  reportLine,
  startLine,
  textLine,
  toSubscriptionEvent,
} from '../support/log-payloads';
import { ROUTING_KEY, startPagerDutyServer } from '../support/pagerduty-server';
import {
  PRESIGNUP_LOG_GROUP as LOG_GROUP,
  SHOP_POOL as POOL,
  triggerLogsConfig,
  triggerLogsContext,
} from '../support/trigger-logs-handler';

const context = triggerLogsContext();

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const JWT = `${b64url({ kid: 'Kq7vWm2', alg: 'RS256' })}.${b64url({ sub: 'Xv93kQ-plant', token_use: 'access' })}.Sg9QwErTy7UiOpLkJhGfDsAzXcVbNm3`;
const JWE = `${b64url({ cty: 'JWT', enc: 'A256GCM', alg: 'RSA-OAEP' })}.Ek4yVb8NmQ2wXr.Iv7HgT3kLp.Ct5RwQ9zXyVbNmKjHgFdSa2.Tg6PlMnB`;

/** A secret, how it is written into a log line, and the value whose every 8-character window must not leak. */
interface Secret {
  name: string;
  text: string;
  value: string;
}

const PASSWORD = 'Zq9Hunter2-S3cretPass';
const REFRESH = 'opaque-Rf7kQ2xMx8Lp3Zz';
const CLIENT_SECRET = '1q2w3e4r5t6y7u8i9o0pzx1c2v3b4n5m6l7k8j9h0gqa1ws2ed3';
const SECRET_HASH = 'q8Zk2n0Yl9s1R4c7b3VmX0pEw5Tu6Ir8Oa1Sd4Fg7Hj=';
const EMAIL = 'diego.ramirez@corvidqx.io';
const PHONE = '+12065550147';
const KEY_ID = 'AKIAQ3EGRJ5XUVWYZ7AB';
const TEMP_KEY_ID = 'ASIAY34FZKBOKMUTVV7A';
const AWS_SECRET = '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';

const SECRETS: readonly Secret[] = [
  { name: 'password in JSON', text: `{"password":"${PASSWORD}"}`, value: PASSWORD },
  { name: 'password as key=value', text: `PASSWORD=${PASSWORD}`, value: PASSWORD },
  { name: 'refresh token in inspect text', text: `{ refreshToken: '${REFRESH}' }`, value: REFRESH },
  { name: 'client secret', text: `client_secret: ${CLIENT_SECRET}`, value: CLIENT_SECRET },
  { name: 'bare client secret', text: `got ${CLIENT_SECRET} back`, value: CLIENT_SECRET },
  { name: 'SECRET_HASH', text: `SECRET_HASH=${SECRET_HASH}`, value: SECRET_HASH },
  { name: 'bare SECRET_HASH', text: `hash ${SECRET_HASH}`, value: SECRET_HASH },
  { name: 'email', text: `sign-up from ${EMAIL} failed`, value: EMAIL },
  { name: 'phone', text: `SMS to ${PHONE} failed`, value: PHONE },
  { name: 'JWT', text: `token ${JWT}`, value: JWT },
  { name: 'refresh token (JWE)', text: `refresh ${JWE}`, value: JWE },
  { name: 'access key pair', text: `creds ${KEY_ID} ${AWS_SECRET}`, value: `${KEY_ID} ${AWS_SECRET}` },
  { name: 'secret access key', text: `aws_secret_access_key=${AWS_SECRET}`, value: AWS_SECRET },
  { name: 'temporary key id', text: `{"AccessKeyId":"${TEMP_KEY_ID}"}`, value: TEMP_KEY_ID },
];

/** Every 8-character window of each value: none may appear anywhere in the output. */
const needles = (secrets: readonly Secret[]): string[] => [
  ...new Set(
    secrets.flatMap(({ value }) =>
      Array.from({ length: Math.max(1, value.length - 7) }, (_, index) => value.slice(index, index + 8)),
    ),
  ),
];

const FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ';
const filler = (chars: number): string =>
  FILLER.repeat(Math.ceil((chars + 1) / FILLER.length)).slice(0, chars);

/** Where a secret goes in a failed invocation. */
const PLACES = ['message', 'type', 'response'] as const;
type Place = (typeof PLACES)[number];

const requestId = (index: number) => `6f1c0a52-3b7e-4c1e-9a51-${String(index).padStart(12, '0')}`;

/** The log lines of one invocation with `secret` planted `pad` characters into the chosen place. */
const invocation = (index: number, place: Place, pad: number, secret: Secret): string[] => {
  const id = requestId(index);
  const planted = `${filler(pad)}${secret.text} ${filler(40)}`;
  if (place === 'response') {
    const event = {
      triggerSource: 'PreSignUp_SignUp',
      userPoolId: POOL,
      request: { userAttributes: { note: planted } },
      response: { autoConfirmUser: 'true', autoVerifyEmail: false, autoVerifyPhone: false },
    };
    return [
      startLine(id),
      textLine(id, 'INFO', `Returning ${JSON.stringify(event)}`),
      endLine(id),
      reportLine({ requestId: id, durationMs: 41.2 }),
    ];
  }
  const error =
    place === 'message'
      ? { errorType: `PlantedError${index}`, errorMessage: planted }
      : { errorType: `Planted${index}${planted}`, errorMessage: 'boom' };
  return [
    startLine(id),
    invokeErrorLine(id, error),
    endLine(id),
    reportLine({ requestId: id, durationMs: 12.5, status: 'error', errorType: 'Runtime.HandlerError' }),
  ];
};

const moto = await startMoto();

describe.runIf(moto)('planted secrets on the real trigger-log path (property)', async () => {
  const pagerDuty = await startPagerDutyServer();
  const sns = new SNSClient(awsClientConfig(moto?.endpoint ?? ''));
  afterAll(async () => {
    await pagerDuty.close();
    await moto?.stop();
  });

  it('never lets a secret reach PagerDuty, SNS, the log or the stored incident, at any offset of the cut windows', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Offsets phase, phase + 9, ... up to 450: with the examples below, every offset 0..450 is tried.
        fc.integer({ min: 0, max: 8 }),
        fc.array(fc.integer({ min: 0, max: SECRETS.length - 1 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...PLACES),
        async (phase, secretOrder, firstPlace) => {
          await moto?.reset();
          pagerDuty.reset();
          const { TopicArn = '' } = await sns.send(new CreateTopicCommand({ Name: 'sentinel-alerts' }));
          const lines: string[] = [];
          const logged: string[] = [];
          const planted: Secret[] = [];
          const log = (message: string, ...extra: Record<string, unknown>[]) => {
            logged.push(JSON.stringify([message, ...extra]));
          };
          const logger: Log = { debug: log, info: log, warn: log, error: log };
          let index = 0;
          for (let pad = phase; pad <= 450; pad += 9, index += 1) {
            const secret = SECRETS[secretOrder[index % secretOrder.length] ?? 0] ?? SECRETS[0];
            const place = PLACES[(PLACES.indexOf(firstPlace) + index) % PLACES.length] ?? 'message';
            if (secret === undefined) continue;
            planted.push(secret);
            lines.push(...invocation(index, place, pad, secret));
          }
          const store = createMemoryIncidentStore();
          const handler = createHandler({
            config: triggerLogsConfig(),
            alerts: createAlertPipeline({
              store,
              sinks: [
                createPagerDutySink({ routingKey: ROUTING_KEY, endpoint: pagerDuty.endpoint }),
                createSnsSink({ client: sns, topicArn: TopicArn }),
              ],
              logger,
            }),
            logger,
            metrics: { count: () => {}, publish: () => {} },
            now: () => new Date('2024-05-01T12:05:00Z'),
          });

          const result = await handler(toSubscriptionEvent({ logGroup: LOG_GROUP, lines }), context);

          const notifications = await readSnsNotifications(moto?.endpoint ?? '');
          expect(result.alerts).toBeGreaterThan(0);
          expect(pagerDuty.received.length).toBe(result.alerts);
          expect(notifications.length).toBe(result.alerts);
          const outputs: [string, string][] = [
            ...pagerDuty.received.map((event): [string, string] => [
              'PagerDuty body',
              JSON.stringify(event.body),
            ]),
            ...notifications.map((n): [string, string] => ['SNS subject', n.subject ?? '']),
            ...notifications.map((n): [string, string] => ['SNS message', n.message]),
            ...logged.map((line): [string, string] => ['log line', line]),
            ...store
              .records()
              .map((record): [string, string] => ['incident item', JSON.stringify(toIncidentItem(record))]),
          ];
          for (const needle of needles(planted)) {
            const leak = outputs.find(([, text]) => text.includes(needle));
            expect(leak, `${JSON.stringify(needle)} reached the ${leak?.[0]}`).toBeUndefined();
          }
        },
      ),
      {
        seed: 20_240_501,
        numRuns: 12,
        examples: Array.from({ length: 9 }, (_, phase): [number, number[], Place] => [
          phase,
          SECRETS.map((_, index) => (index + phase) % SECRETS.length),
          PLACES[phase % PLACES.length] ?? 'message',
        ]),
      },
    );
  }, 120_000);
});
