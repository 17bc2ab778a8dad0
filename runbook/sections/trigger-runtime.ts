/**
 * Sections for trigger functions that time out, run slow, or fail: what the platform lines say,
 * what the caller saw, and how to get the function back under Cognito's 5-second wait.
 */
import type { Finding } from '../../detectors/types';
import { type CommandContext, filterEvidence, filterLogEventsAny, updateTimeout } from '../commands';
import {
  MIDDLEWARE_NOTE,
  rollbackSteps,
  SYNC_TRIGGER_NOTES,
  verifyFromLogs,
  whatChangedSteps,
  wiringStep,
} from '../steps';
import type { RunbookSection, Step } from '../types';

const TIMEOUT_TERMS = ['Task timed out', 'Status: timeout', 'Init Duration', 'INIT_REPORT'] as const;
const ERROR_TERMS = [
  'Invoke Error',
  'Uncaught Exception',
  'Unhandled Promise Rejection',
  'Runtime exited',
  'Status: error',
  'INIT_REPORT',
] as const;

const invocationStep = (c: CommandContext, finding: Finding): Step[] =>
  c.requestId === undefined
    ? []
    : [
        {
          text: 'Read every line of the failing invocation: what it logged last shows where the time went or what threw.',
          command: filterEvidence(c, finding.field),
        },
      ];

/** First steps for a failing function: its wiring, the invocation, the lines that matter, what changed. */
const wiringThenLogSteps =
  (text: string, terms: readonly string[]) =>
  (finding: Finding, c: CommandContext): Step[] => [
    wiringStep(c),
    ...invocationStep(c, finding),
    { text, command: filterLogEventsAny(c, terms) },
    ...whatChangedSteps(c),
  ];

/** `trigger-timeout`: Lambda's own timeout fired, or the invocation outlasted Cognito's wait. */
export const TRIGGER_TIMEOUT_SECTION: RunbookSection = {
  id: 'trigger-timeout',
  title: 'A trigger function timed out or ran past Cognito’s 5-second wait',
  meaning:
    'An invocation of a trigger function either hit its own Lambda timeout (`Task timed out after N seconds`, `Status: timeout`) or kept running past the 5 seconds Cognito waits. Either way the sign-up, sign-in or refresh that caused it has already failed for the user, and Cognito may have invoked the function again for the same request.',
  firstTenMinutes: wiringThenLogSteps(
    'Pull every timeout and cold-start line in the window. Many timeouts right after `INIT_REPORT` or with a large `Init Duration` point at initialisation, not the handler.',
    TIMEOUT_TERMS,
  ),
  likelyCauses: [
    'The function still has Lambda’s default 3-second timeout, so anything a little slow fails before Cognito would have.',
    'A downstream call (database, HTTP API, Secrets Manager or SSM at cold start) without its own timeout, or with SDK retries whose backoff adds up past the budget.',
    'Cold starts: a large bundle or heavy module-level work, made worse by the suppressed-init loop where re-initialisation time counts against the invocation.',
    'A callback-style handler held open by `callbackWaitsForEmptyEventLoop` (an open database pool or keep-alive socket).',
    'A recent deploy that added a synchronous call to the request path.',
  ],
  fix: (_finding, c) => {
    return [
      ...rollbackSteps(c),
      {
        text: 'Set the timeout explicitly to 5 seconds: there is no point running longer than Cognito waits, and less than that only fails users Cognito would still have served.',
        command: updateTimeout(c, 5),
      },
      {
        text: 'Give every downstream call its own timeout well under the budget (1 to 2 seconds) and cap SDK retries, so the handler can fail with a clear error instead of being killed.',
      },
      {
        text: 'Move work that does not decide the answer (audit rows, welcome emails, CRM sync) to a queue and return at once. Make what remains idempotent, because Cognito’s retries run it again.',
      },
      {
        text: 'For cold starts: trim the bundle, move client construction out of the handler but keep init light, and consider provisioned concurrency on the alias Cognito calls.',
      },
    ];
  },
  notes: [...SYNC_TRIGGER_NOTES],
  verify: verifyFromLogs,
};

/** `trigger-slow`: durations above the warning budget, still under the limit. */
export const TRIGGER_SLOW_SECTION: RunbookSection = {
  id: 'trigger-slow',
  title: 'A trigger function is running close to Cognito’s 5-second wait',
  meaning:
    'Invocations of a trigger function took longer than the warning budget (3000 ms unless configured otherwise). They still finished, but the margin to Cognito’s 5-second wait is thin: a slower dependency or a cold start will turn these into failed sign-ins and duplicate invocations.',
  firstTenMinutes: (finding, c) => {
    return [
      ...invocationStep(c, finding),
      {
        text: 'Compare durations and cold starts in the window: slow invocations with an `Init Duration` are cold starts; slow warm invocations are the handler or a dependency.',
        command: filterLogEventsAny(c, ['REPORT', 'INIT_REPORT']),
      },
      ...whatChangedSteps(c),
    ];
  },
  likelyCauses: [
    'A dependency that became slower (database under load, third-party API, cross-region call).',
    'Cold starts after a bundle grew or new module-level work was added.',
    'A new synchronous call added to the request path by a recent deploy.',
    'Too little memory: CPU scales with the memory setting, so hashing or crypto work slows down on small functions.',
  ],
  fix: (_finding, c) => {
    return [
      {
        text: 'If a deploy made it slow, roll back while you look for the cause.',
      },
      ...rollbackSteps(c),
      {
        text: 'Put timeouts on downstream calls, move non-essential work to a queue, and raise memory if the function is CPU-bound.',
      },
    ];
  },
  notes: [...SYNC_TRIGGER_NOTES],
  verify: verifyFromLogs,
};

/** `trigger-error`: the function threw, crashed, or could not initialise. */
export const TRIGGER_ERROR_SECTION: RunbookSection = {
  id: 'trigger-error',
  title: 'A trigger function threw, crashed or failed to start',
  meaning:
    'A trigger function ended in an error: the handler threw or rejected (`Invoke Error`), the process crashed (`Uncaught Exception`, `Unhandled Promise Rejection`, `Runtime exited with error`), or it could not initialise (`INIT_REPORT ... Status: error` with `Runtime.ImportModuleError`, `Runtime.UserCodeSyntaxError`, `Runtime.HandlerNotFound` and similar). The caller received UserLambdaValidationException `<Trigger> failed with error <message>`. An init failure takes down every invocation, not just some.',
  firstTenMinutes: (finding, c) => {
    return [
      wiringStep(c),
      ...invocationStep(c, finding),
      {
        text: 'Pull every error line in the window; the `errorType` and the first stack frame usually name the fault.',
        command: filterLogEventsAny(c, ERROR_TERMS),
      },
      ...whatChangedSteps(c),
    ];
  },
  likelyCauses: [
    'Code that assumes fields the Lambda console’s sample event has and production events lack, or the reverse: `validationData` is `null`, `clientMetadata` is often absent, phone-only users have no `email`.',
    'A bad bundle or handler setting after a deploy (`Runtime.ImportModuleError`, `Runtime.HandlerNotFound`, `Runtime.UserCodeSyntaxError`): every invocation fails.',
    'An `async` handler that also calls `callback` (`callback is not a function`).',
    'A missing environment variable, secret or IAM permission for a downstream call (AccessDenied from DynamoDB, SES, KMS).',
    'Out of memory (`Runtime.OutOfMemory`).',
    'A deliberate denial: PreSignUp or PreAuthentication throwing to refuse a user is an error by design. A sudden rise still deserves a look.',
  ],
  fix: (_finding, c) => {
    return [
      ...rollbackSteps(c),
      {
        text: 'Fix the fault with a test that uses a production-shaped event for every trigger source the function receives.',
      },
      {
        text: 'For init failures, check the handler setting and that the bundle contains the module it names before redeploying.',
      },
    ];
  },
  notes: [...SYNC_TRIGGER_NOTES, MIDDLEWARE_NOTE],
  verify: verifyFromLogs,
};
