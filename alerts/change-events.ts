/**
 * PagerDuty Change Events (`POST /v2/change/enqueue`): each configuration change of a watched pool
 * or trigger function goes on the service's timeline, beside the page it may cause. Change events
 * never page anyone; sending one is best effort (a few short attempts, then the caller logs it).
 */
import type { ConfigChange } from '../detectors/types';
import { redactThenClip } from '../redaction/redact';
import { SentinelError } from '../runtime/errors';
import { sleep } from '../runtime/text';
import { PAGERDUTY_CLIENT, PAGERDUTY_EVENTS_ENDPOINT, PAGERDUTY_MAX_SUMMARY_CHARS } from './sinks/pagerduty';

/** PagerDuty's change events endpoint. */
export const PAGERDUTY_CHANGE_ENDPOINT = 'https://events.pagerduty.com/v2/change/enqueue';

/** The change endpoint beside an alert endpoint (`…/v2/enqueue` → `…/v2/change/enqueue`), for stand-ins and proxies. */
export const toChangeEndpoint = (alertEndpoint: string | undefined): string =>
  alertEndpoint === undefined || alertEndpoint === PAGERDUTY_EVENTS_ENDPOINT
    ? PAGERDUTY_CHANGE_ENDPOINT
    : alertEndpoint.replace(/\/v2\/enqueue$/, '/v2/change/enqueue');

export interface PagerDutyChangeEvent {
  routing_key: string;
  payload: {
    summary: string;
    timestamp: string;
    source: string;
    custom_details: Record<string, string>;
  };
  links?: { href: string; text: string }[];
}

/** The change event for one change to a pool (pure; redacted, summary within PagerDuty's 1024 characters). */
export const toPagerDutyChangeEvent = (
  change: ConfigChange,
  target: { userPoolId: string; region: string },
  routingKey: string,
): PagerDutyChangeEvent => {
  const summary = `${change.eventName}${change.resource === undefined ? '' : ` ${change.resource}`} on Cognito pool ${target.userPoolId} by ${change.principal}`;
  const details: Record<string, string> = {
    call: change.eventName,
    service: change.eventSource,
    user_pool: target.userPoolId,
    region: target.region,
    who: change.principal,
    when: change.eventTime,
  };
  if (change.resource !== undefined) details.resource = change.resource;
  if (change.source !== undefined) details.from = change.source;
  if (change.via !== undefined) details.via = change.via;
  if (change.eventId !== undefined) details.cloudtrail_event_id = change.eventId;
  return {
    routing_key: routingKey,
    payload: {
      summary: redactThenClip(summary, PAGERDUTY_MAX_SUMMARY_CHARS),
      timestamp: change.eventTime,
      source: PAGERDUTY_CLIENT,
      custom_details: Object.fromEntries(
        Object.entries(details).map(([key, value]) => [key, redactThenClip(value, 512)]),
      ),
    },
    links: [
      {
        href: `https://${target.region}.console.aws.amazon.com/cloudtrail/home?region=${target.region}#/events${change.eventId === undefined ? '' : `/${change.eventId}`}`,
        text: 'CloudTrail event',
      },
    ],
  };
};

/** PagerDuty did not take a change event after its attempts. */
export class ChangeEventError extends SentinelError {
  override readonly name = 'ChangeEventError';
  readonly code = 'change-event';
}

export interface ChangeEventSender {
  send(change: ConfigChange, target: { userPoolId: string; region: string }): Promise<void>;
}

export interface ChangeEventOptions {
  routingKey: () => Promise<string>;
  endpoint?: string;
  fetch?: typeof globalThis.fetch;
  /** Attempts, the first included. Default 3. */
  attempts?: number;
  attemptTimeoutMs?: number;
}

export const createPagerDutyChangeEvents = ({
  routingKey,
  endpoint = PAGERDUTY_CHANGE_ENDPOINT,
  fetch = globalThis.fetch,
  attempts = 3,
  attemptTimeoutMs = 2_000,
}: ChangeEventOptions): ChangeEventSender => ({
  send: async (change, target) => {
    const body = JSON.stringify(toPagerDutyChangeEvent(change, target, await routingKey()));
    let last = '';
    let cause: unknown;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(attemptTimeoutMs),
        });
        await response.text();
        if (response.ok) return;
        last = `HTTP ${response.status}`;
        if (response.status !== 429 && response.status < 500) break;
      } catch (error) {
        cause = error;
        last = (error as Error).message;
      }
      if (attempt < attempts) await sleep(200 * attempt);
    }
    throw new ChangeEventError(`PagerDuty did not take the change event (${last})`, { cause });
  },
});
