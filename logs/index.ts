/**
 * The log boundary: decodes trigger functions' log input (subscription payloads, CLI files, single
 * lines) into typed observations for the detectors, counting every line.
 */
export {
  CONTRACT_REPORT_SENTINEL,
  contractReportRecordSchema,
  parseContractReportLine,
  toContractReportObservation,
} from './contract-report-line';
export {
  type DecodeOptions,
  decodeSubscriptionEvent,
  MAX_DECOMPRESSED_BYTES,
  parseSubscriptionMessage,
  type SubscriptionMessage,
  subscriptionMessageSchema,
} from './decode-subscription';
export { findObjectSpans, type ObjectSpan } from './extract-objects';
export {
  ACCEPTED_INPUT_SHAPES,
  type InputError,
  type InputOptions,
  isInputError,
  parseInputText,
  splitLogText,
} from './input-shapes';
export { parseInspectLiteral } from './inspect-literal';
export {
  DEFAULT_MAX_LINE_BYTES,
  functionNameOf,
  type LineResult,
  type ParseOptions,
  parseLogLine,
  toLogOrigin,
} from './parse-line';
export {
  type LogEventInput,
  type LogEventsInput,
  logEventSchema,
  parseLogEvents,
  subscriptionLogEventSchema,
} from './parse-log-events';
export * from './types';
