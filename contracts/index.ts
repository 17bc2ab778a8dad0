/**
 * Cognito trigger response contracts: the public pieces. Pure: no I/O.
 */
export {
  CONTRACT_REPORT_MESSAGES,
  CONTRACT_REPORT_SENTINEL,
  type ContractReport,
  type ContractReportInput,
  contractReportSchema,
  formatContractReport,
  parseContractReport,
  toContractReport,
} from './contract-report';
export { describeValue } from './describe-value';
export { attributeResponse, RESPONSE_KEYS } from './response-keys';
export {
  ASYNC_TRIGGERS,
  COGNITO_TRIGGER_TIMEOUT_MS,
  isTriggerName,
  TRIGGERS,
  type TriggerName,
  toTrigger,
} from './triggers';
export {
  CHECK_READS,
  type ContractResult,
  type EventContextMember,
  type ResponseContext,
  type ValidateEventOptions,
  VIOLATION_RULES,
  type Violation,
  type ViolationRule,
  validateTriggerEvent,
  validateTriggerResponse,
  validateTriggerReturn,
} from './validate';
export { violationTitle } from './violation-title';
