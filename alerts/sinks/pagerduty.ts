/**
 * PagerDuty Events API v2 sink (docs/alerting.md).
 *
 * `toPagerDutyEvent` is pure: a `trigger` (also for reminders: PagerDuty adds it to the open alert
 * with the same `dedup_key`) or a `resolve` for the incident's `dedup_key`, which starts with the
 * deployment's account id when it is known (`<account>:<incident key>`), so pages from many
 * accounts can share one PagerDuty service.
 * - `payload.summary`: the alert title (what broke), one line, at most 1024 characters, cut at a
 *   word boundary with `…` rather than rejected.
 * - Stable PD-CEF values for grouping: `source` the pool's ARN when the account is known
 *   (`arn:aws:cognito-idp:<region>:<account>:userpool/<poolId>`), else
 *   `cognito-idp.<region>.amazonaws.com/<poolId>` (else the function, else `cognito-sentinel`), `component` the trigger (else
 *   `app-client/<clientId>`, else the function, else `user-pool`), `group` the pool id (else
 *   `cognito-sentinel`), `class` the detector id. Nothing volatile (counts, times) is in them or
 *   in the summary.
 * - `custom_details`: what broke, expected vs actual, the redacted evidence, where, since when and
 *   how often, recent changes, and the runbook section as text.
 * - `links`: the runbook section (when its URL is absolute) and the console pages.
 * - The serialized event stays under 512 KB: long details are cut with a note.
 *
 * `createPagerDutySink` posts it: 202 is success; 429, 5xx, network errors and timeouts are
 * retried with exponential backoff and jitter inside `timeBudgetMs`; a 400 (and any other 4xx)
 * fails at once with PagerDuty's own message. A failure always rejects (AlertSinkError wrapping a
 * PagerDutyError): the pipeline then relies on the other sinks and keeps the page owed.
 */
import { createHash } from 'node:crypto';
import { clipRedacted, redactThenClip } from '../../redaction/redact';
import { byteLength, sleep } from '../../runtime/text';
import { AlertSinkError, PagerDutyError } from '../errors';
import { isAbsoluteUrl } from '../links';
import type { Alert, AlertSink } from '../types';

/** PagerDuty's limits. */
export const PAGERDUTY_MAX_SUMMARY_CHARS = 1024;
export const PAGERDUTY_MAX_DEDUP_KEY_CHARS = 255;
/** The payload limit is 512 KB; we stay a little under it. */
export const PAGERDUTY_MAX_EVENT_BYTES = 512 * 1024 - 1024;
export const PAGERDUTY_EVENTS_ENDPOINT = 'https://events.pagerduty.com/v2/enqueue';
export const PAGERDUTY_CLIENT = 'cognito-sentinel';

export interface PagerDutyLink {
  href: string;
  text: string;
}

export interface PagerDutyTriggerEvent {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  payload: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    timestamp?: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  links: PagerDutyLink[];
  client: string;
  client_url?: string;
}

export interface PagerDutyResolveEvent {
  routing_key: string;
  event_action: 'resolve';
  dedup_key: string;
}

export type PagerDutyEvent = PagerDutyTriggerEvent | PagerDutyResolveEvent;

/** Cuts `text` to `max` UTF-16 units without splitting a surrogate pair. */
const cutAt = (text: string, max: number): string => {
  let end = Math.max(0, max);
  const code = text.charCodeAt(end - 1);
  if (end > 0 && code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
};

/**
 * One line of at most {@link PAGERDUTY_MAX_SUMMARY_CHARS} characters: control characters and line
 * breaks become spaces, runs of spaces collapse, and a long text is redacted whole, then cut at a
 * word boundary (when one is near the end) with `…`. Never empty.
 */
export const toPagerDutySummary = (text: string, max = PAGERDUTY_MAX_SUMMARY_CHARS): string => {
  const line = text
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (line === '') return 'cognito-sentinel alert';
  return redactThenClip(line, max, { wordBoundary: 80 });
};

/** The incident's dedup key, or (over 255 characters) its start plus a hash of the whole key. */
export const toPagerDutyDedupKey = (dedupKey: string): string => {
  if (dedupKey.length <= PAGERDUTY_MAX_DEDUP_KEY_CHARS) return dedupKey;
  const hash = createHash('sha256').update(dedupKey).digest('hex').slice(0, 16);
  return `${cutAt(dedupKey, PAGERDUTY_MAX_DEDUP_KEY_CHARS - hash.length - 1)}~${hash}`;
};

const isoOrUndefined = (text: string | undefined): string | undefined => {
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
};

const present = (entries: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(entries).filter(
      ([, value]) =>
        value !== undefined &&
        value !== '' &&
        !(Array.isArray(value) && value.length === 0) &&
        !(
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length === 0
        ),
    ),
  );

/**
 * The deployment a page comes from. With many accounts paging one PagerDuty service, the account
 * keeps two accounts' incidents apart (a pool id is only unique within its account).
 */
export interface PagerDutyScope {
  /** 12-digit AWS account id. */
  accountId?: string;
  /** The deployment's stage, e.g. `acme-prod`. */
  stage?: string;
}

/** The incident's dedup key, prefixed with the account when known: `<account>:<dedupKey>`. */
export const toScopedDedupKey = (dedupKey: string, scope: PagerDutyScope = {}): string =>
  scope.accountId === undefined ? dedupKey : `${scope.accountId}:${dedupKey}`;

const sourceOf = (alert: Alert, scope: PagerDutyScope): string => {
  const f = alert.finding;
  // The pool's ARN names the account, the region and the pool in one stable string.
  if (f.userPoolId && f.region && scope.accountId)
    return `arn:aws:cognito-idp:${f.region}:${scope.accountId}:userpool/${f.userPoolId}`;
  if (f.userPoolId && f.region) return `cognito-idp.${f.region}.amazonaws.com/${f.userPoolId}`;
  if (f.userPoolId) return `cognito-idp/${f.userPoolId}`;
  const name = f.functionName ?? f.logGroup ?? PAGERDUTY_CLIENT;
  return scope.accountId ? `${scope.accountId}/${name}` : name;
};

const componentOf = (alert: Alert): string => {
  const f = alert.finding;
  return f.trigger ?? (f.clientId ? `app-client/${f.clientId}` : undefined) ?? f.functionName ?? 'user-pool';
};

const customDetails = (alert: Alert, scope: PagerDutyScope): Record<string, unknown> => {
  const f = alert.finding;
  const incident = alert.incident;
  return present({
    what_broke: alert.title,
    incident: alert.dedupKey,
    detector: alert.detector,
    account: scope.accountId,
    stage: scope.stage,
    field: f.field,
    expected: f.expected,
    actual: f.actual,
    before: f.before,
    after: f.after,
    cause: f.cause,
    changed_by:
      f.change === undefined
        ? undefined
        : present({
            call: f.change.eventName,
            who: f.change.principal,
            when: f.change.eventTime,
            from: f.change.source,
            via: f.change.via,
            resource: f.change.resource,
          }),
    evidence: f.evidence,
    where: present({
      user_pool: f.userPoolId,
      region: f.region,
      app_client: f.clientId,
      trigger: f.trigger,
      trigger_source: f.triggerSource,
      function: f.functionName,
      log_group: f.logGroup,
      log_stream: f.logStream,
      request_id: f.requestId,
    }),
    when: present({
      first_seen: incident?.firstSeen ?? alert.firstSeen,
      last_seen: incident?.lastSeen ?? alert.lastSeen,
      occurrences: incident?.count ?? alert.occurrences,
      in_latest_run: incident === undefined ? undefined : alert.occurrences,
      episode: incident !== undefined && incident.episode > 1 ? incident.episode : undefined,
      flapping: incident?.heldOpen ? `re-opened ${incident.reopens} times recently; held open` : undefined,
      reminder: alert.action === 'remind' ? 'still failing' : undefined,
    }),
    recent_changes: alert.recentChanges,
    runbook: alert.runbook.url,
    runbook_section: `${alert.runbook.title}\n\n${alert.runbook.text}`,
  });
};

const DETAIL_NOTE = '[cut to keep the PagerDuty event under 512 KB; the full report went to the other sinks]';

/** Cuts every long string in the details until the event fits; the note says so. */
const fitDetails = (event: PagerDutyTriggerEvent): PagerDutyTriggerEvent => {
  let limit = 16_384;
  let fitted = event;
  while (byteLength(JSON.stringify(fitted)) > PAGERDUTY_MAX_EVENT_BYTES && limit >= 64) {
    const cut = (value: unknown): unknown => {
      if (typeof value === 'string')
        return value.length > limit ? `${clipRedacted(value, limit)} ${DETAIL_NOTE}` : value;
      if (Array.isArray(value)) return value.slice(0, 20).map(cut);
      if (typeof value === 'object' && value !== null)
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cut(item)]));
      return value;
    };
    fitted = {
      ...event,
      payload: {
        ...event.payload,
        custom_details: cut(event.payload.custom_details) as Record<string, unknown>,
      },
      links: event.links.filter((link) => link.href.length <= 2_048).slice(0, 10),
    };
    limit = Math.floor(limit / 2);
  }
  return fitted;
};

/**
 * The Events API v2 event for an alert. Pure. `trigger` and `remind` become `trigger` events
 * (the same `dedup_key` updates the open PagerDuty alert); `resolve` becomes a `resolve` event.
 */
export const toPagerDutyEvent = (
  alert: Alert,
  routingKey: string,
  scope: PagerDutyScope = {},
): PagerDutyEvent => {
  const dedup_key = toPagerDutyDedupKey(toScopedDedupKey(alert.dedupKey, scope));
  if (alert.action === 'resolve') return { routing_key: routingKey, event_action: 'resolve', dedup_key };
  const timestamp = isoOrUndefined(alert.incident?.lastSeen ?? alert.lastSeen ?? alert.firstSeen);
  const f = alert.finding;
  const event: PagerDutyTriggerEvent = {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key,
    payload: {
      summary: toPagerDutySummary(alert.title),
      source: toPagerDutySummary(sourceOf(alert, scope), 255),
      severity: alert.severity,
      ...(timestamp === undefined ? {} : { timestamp }),
      component: toPagerDutySummary(componentOf(alert), 255),
      group: toPagerDutySummary(f.userPoolId ?? PAGERDUTY_CLIENT, 255),
      class: alert.detector,
      custom_details: customDetails(alert, scope),
    },
    links: alert.links.filter((link) => isAbsoluteUrl(link.href)).map(({ href, text }) => ({ href, text })),
    client: PAGERDUTY_CLIENT,
    ...(isAbsoluteUrl(alert.runbook.url) ? { client_url: alert.runbook.url } : {}),
  };
  return fitDetails(event);
};

// --- delivery ------------------------------------------------------------------------------------

/** Options of {@link createPagerDutySink}. */
export interface PagerDutySinkOptions {
  /** The routing key, or a function that resolves it (from Secrets Manager / SSM, cached per container). */
  routingKey: string | (() => Promise<string>);
  fetch?: typeof globalThis.fetch;
  /** Default {@link PAGERDUTY_EVENTS_ENDPOINT}. */
  endpoint?: string;
  /** Time one event may take, all attempts and waits included, in ms. Default 8000. */
  timeBudgetMs?: number;
  /** Longest single attempt, in ms. Default 4000. */
  attemptTimeoutMs?: number;
  /** First backoff, in ms; doubled per retry with full jitter, capped by `maxBackoffMs`. Default 250 / 2000. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Jitter source in [0, 1); tests pin it. */
  random?: () => number;
  /** The deployment's account and stage; the `dedup_key` and `source` carry the account. */
  scope?: PagerDutyScope;
  /** Sink name (delivery state is tracked per name). Default `pagerduty`. */
  name?: string;
  /**
   * After an event used up its whole time budget (PagerDuty down or throttling), later events fail
   * at once for this long instead of each waiting out the budget, so one invocation with many
   * incidents still ends inside the function timeout; the pages stay owed and the next run or the
   * sweep delivers them. 0 turns this off. Default 30000 ms.
   */
  circuitOpenMs?: number;
}

interface PagerDutyErrorBody {
  status?: unknown;
  message?: unknown;
  errors?: unknown;
}

/** PagerDuty's explanation from an error body: `message: error; error`. */
const explain = (text: string): string => {
  try {
    const body = JSON.parse(text) as PagerDutyErrorBody;
    const errors = Array.isArray(body.errors) ? body.errors.filter((item) => typeof item === 'string') : [];
    const message = typeof body.message === 'string' ? body.message : undefined;
    const parts = [message, errors.join('; ')].filter((part) => part !== undefined && part !== '');
    if (parts.length > 0) return parts.join(': ');
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 300) || '(empty body)';
};

/** Seconds from a Retry-After header, when it is a plain number. */
const retryAfterMs = (header: string | null): number | undefined => {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
};

/** A sink that sends each alert to PagerDuty Events API v2. */
export const createPagerDutySink = ({
  routingKey,
  fetch = globalThis.fetch,
  endpoint = PAGERDUTY_EVENTS_ENDPOINT,
  timeBudgetMs = 8_000,
  attemptTimeoutMs = 4_000,
  backoffMs = 250,
  maxBackoffMs = 2_000,
  random = Math.random,
  name = 'pagerduty',
  circuitOpenMs = 30_000,
  scope = {},
}: PagerDutySinkOptions): AlertSink => {
  const keyOf = typeof routingKey === 'string' ? async () => routingKey : routingKey;
  let openUntil = 0;
  let openedBy = '';

  const post = async (body: string): Promise<void> => {
    const deadline = Date.now() + timeBudgetMs;
    let attempts = 0;
    let last = 'no attempt made';
    let lastStatus: number | undefined;
    let lastCause: unknown;
    for (;;) {
      attempts += 1;
      const remaining = deadline - Date.now();
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), Math.max(1, Math.min(attemptTimeoutMs, remaining)));
      let wait: number | undefined;
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body,
          signal: controller.signal,
        });
        const text = await response.text();
        if (response.status >= 200 && response.status < 300) return;
        lastStatus = response.status;
        last = `HTTP ${response.status} ${explain(text)}`;
        lastCause = undefined;
        if (response.status !== 429 && response.status < 500) {
          throw new PagerDutyError(`PagerDuty rejected the event (${last})`, {
            status: response.status,
            retryable: false,
            attempts,
          });
        }
        wait = retryAfterMs(response.headers.get('retry-after'));
      } catch (error) {
        if (error instanceof PagerDutyError) throw error;
        lastStatus = undefined;
        lastCause = error;
        last = controller.signal.aborted
          ? `no answer within ${Math.min(attemptTimeoutMs, remaining)} ms`
          : `network error: ${(error as Error).message}`;
      } finally {
        clearTimeout(timer);
      }
      const backoff = Math.min(maxBackoffMs, backoffMs * 2 ** (attempts - 1)) * (0.5 + random() / 2);
      const delay = Math.max(wait ?? 0, backoff);
      if (Date.now() + delay >= deadline - 50) {
        throw new PagerDutyError(
          `PagerDuty did not take the event after ${attempts} attempt${attempts === 1 ? '' : 's'} in ${timeBudgetMs} ms (last: ${last})`,
          { ...(lastStatus === undefined ? {} : { status: lastStatus }), retryable: true, attempts },
          { cause: lastCause },
        );
      }
      await sleep(delay);
    }
  };

  return {
    name,
    async send(alert) {
      try {
        if (Date.now() < openUntil)
          throw new PagerDutyError(
            `PagerDuty skipped for ${Math.ceil((openUntil - Date.now()) / 1000)} s after: ${openedBy}`,
            {
              retryable: true,
              attempts: 0,
            },
          );
        const key = await keyOf();
        await post(JSON.stringify(toPagerDutyEvent(alert, key, scope)));
      } catch (error) {
        if (error instanceof PagerDutyError && error.retryable && error.attempts > 0 && circuitOpenMs > 0) {
          openUntil = Date.now() + circuitOpenMs;
          openedBy = error.message;
        }
        throw new AlertSinkError(name, alert.dedupKey, error);
      }
    },
  };
};
