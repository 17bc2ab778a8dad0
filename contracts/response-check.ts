/**
 * The shape every per-trigger contract shares: a function from a response (already known to be a
 * JSON object) and what is known of its event to the violations it finds.
 */
import type { Violation } from './violation';

export interface ResponseCheckInput {
  /** The `response` object of the event. */
  response: Record<string, unknown>;
  /** Known `triggerSource`; rules that depend on it are skipped when absent. */
  triggerSource?: string;
  /** Known event `version` (`"1"`, `"2"`, `"3"`). */
  version?: string;
  /** Known `request` of the event (may hold `Elided` markers). */
  request?: unknown;
  /** Known `callerContext` of the event. */
  callerContext?: unknown;
  /**
   * True when the caller knows this is the handler's return value (the trigger-contract
   * middleware), not possibly the input event Cognito sent: an untouched response then counts.
   */
  returned: boolean;
}

/** A per-trigger contract. Never throws; returns `[]` when the response is fine. */
export type ResponseCheck = (input: ResponseCheckInput) => Violation[];
