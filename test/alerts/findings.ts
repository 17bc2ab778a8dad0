/** Real-shaped findings for the alert tests: the seed incident (PreSignUp returning "true"). */
import type { Finding } from '../../detectors/types';

export const POOL = 'us-east-1_AbC123xyz';
export const CLIENT = '4i2oaatugssocd44d40kb55kni';
export const FUNCTION = 'shop-presignup';
export const LOG_GROUP = `/aws/lambda/${FUNCTION}`;
export const REQUEST_ID = 'c793869b-ee49-115b-a5b6-4fd21e8dedac';
export const TOPIC_NAME = 'cognito-sentinel-alerts';
/** The title of the seed incident's finding. */
export const SEED_TITLE =
  'PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a boolean';

/** A trigger-response-invalid finding as the trigger-log detector emits it. */
export const presignupFinding = (overrides: Partial<Finding> = {}): Finding => ({
  detector: 'trigger-response-invalid',
  severity: 'critical',
  title: SEED_TITLE,
  userPoolId: POOL,
  clientId: CLIENT,
  region: 'us-east-1',
  trigger: 'PreSignUp',
  triggerSource: 'PreSignUp_SignUp',
  field: 'response.autoConfirmUser',
  expected: 'boolean',
  actual: 'string "true"',
  functionName: FUNCTION,
  logGroup: LOG_GROUP,
  logStream: '2024/06/03/[$LATEST]e6f4a0c4241adcd70c262d34c0bbc85c',
  requestId: REQUEST_ID,
  timestamp: '2024-06-03T09:35:12.345Z',
  evidence: [
    `2024-06-03T09:35:12.345Z\t${REQUEST_ID}\tINFO\tresponse { autoConfirmUser: 'true', autoVerifyEmail: false, autoVerifyPhone: false }`,
  ],
  dedupKey: `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`,
  runbook: 'trigger-response-invalid-presignup',
  ...overrides,
});

/** All strings anywhere inside a value (object keys excluded). */
export const allStrings = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(allStrings);
  return [];
};
