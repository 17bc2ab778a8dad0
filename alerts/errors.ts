/**
 * Exceptions of the alert path. They mean broken infrastructure (a sink that cannot deliver, a
 * dispatcher without sinks); an alert that was delivered is a value in the DeliveryReport.
 */

import { describeError, SentinelError } from '../runtime/errors';
import type { DeliveryReport } from './types';

/** One sink failed to deliver one alert. `cause` holds the underlying error (SDK, network). */
export class AlertSinkError extends SentinelError {
  override readonly name = 'AlertSinkError';
  readonly code = 'alert-sink';
  readonly sink: string;
  readonly dedupKey: string;

  constructor(sink: string, dedupKey: string, cause: unknown) {
    super(`Sink ${sink} could not deliver alert ${dedupKey}: ${describeError(cause)}`, { cause });
    this.sink = sink;
    this.dedupKey = dedupKey;
  }
}

/** A sink's failure for one alert, as reported by {@link AlertDeliveryError}. */
export interface UndeliveredAlert {
  dedupKey: string;
  errors: ReadonlyArray<{ sink: string; error: string }>;
}

/**
 * Every sink failed for at least one alert. Thrown after all alerts were attempted, so the Lambda
 * invocation fails and its retry (or on-failure destination) keeps the findings. `cause` is an
 * AggregateError of the sink errors.
 */
export class AlertDeliveryError extends SentinelError {
  override readonly name = 'AlertDeliveryError';
  readonly code = 'alert-delivery';
  readonly undelivered: readonly UndeliveredAlert[];
  /** What was and was not delivered, for every alert of the call. */
  readonly report: DeliveryReport | undefined;

  constructor(undelivered: readonly UndeliveredAlert[], causes: readonly unknown[], report?: DeliveryReport) {
    const detail = undelivered
      .map(
        (alert) =>
          `alert ${alert.dedupKey} (${alert.errors.map((failure) => `${failure.sink}: ${failure.error}`).join('; ')})`,
      )
      .join(', ');
    super(`No sink delivered ${undelivered.length} alert${undelivered.length === 1 ? '' : 's'}: ${detail}`, {
      cause: new AggregateError(causes, 'Sink errors'),
    });
    this.undelivered = undelivered;
    this.report = report;
  }
}

/**
 * PagerDuty refused or could not take an event. `status` is the last HTTP status (undefined for a
 * network error or timeout); `retryable` says whether a later attempt may succeed (429, 5xx,
 * network) or the event itself is wrong (400: the message carries PagerDuty's explanation).
 */
export class PagerDutyError extends SentinelError {
  override readonly name = 'PagerDutyError';
  readonly code = 'pager-duty';
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly attempts: number;

  constructor(
    message: string,
    details: { status?: number; retryable: boolean; attempts: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = details.status;
    this.retryable = details.retryable;
    this.attempts = details.attempts;
  }
}

/** The incident store (DynamoDB) failed, or holds an item that is not an incident record. */
export class IncidentStoreError extends SentinelError {
  override readonly name = 'IncidentStoreError';
  readonly code = 'incident-store';
}

/**
 * The incident store refused a request as invalid (DynamoDB ValidationException: a key or item
 * over its limits, a malformed expression). A bug in the monitor, not an outage: it is logged as
 * an error, counted (`IncidentStoreRejected`) and fails the invocation after the pages went out.
 */
export class IncidentStoreRejectedError extends SentinelError {
  override readonly name = 'IncidentStoreRejectedError';
  readonly code = 'incident-store-rejected';
}
