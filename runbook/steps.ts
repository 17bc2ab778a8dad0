/**
 * Steps and notes shared by several runbook sections: establishing what Cognito calls, what changed,
 * rolling back through an alias, and proving the fix with fresh logs and a canary cycle.
 */
import type { Finding } from '../detectors/types';
import {
  type CommandContext,
  describeUserPool,
  fetchFreshLogs,
  getFunctionConfiguration,
  listAliases,
  listVersions,
  scanLogs,
  sentinelCheck,
  updateAlias,
} from './commands';
import type { Step } from './types';

/** Which function each trigger calls; an alias ARN there makes rollback a one-command alias move. */
export const wiringStep = (c: CommandContext): Step => ({
  text: 'See which function Cognito calls for each trigger. An ARN ending in `:<alias>` means the pool follows an alias, so rolling back is one alias update.',
  command: describeUserPool(c),
});

/** Timeout and last change of the function, then its recent versions and aliases. */
export const whatChangedSteps = (c: CommandContext): Step[] => [
  {
    text: 'Check the function timeout and when the code last changed. A `LastModified` shortly before the first occurrence points at a deploy.',
    command: getFunctionConfiguration(c),
  },
  {
    text: 'List the newest published versions, to find the last one that was healthy.',
    command: listVersions(c),
  },
  {
    text: 'List the aliases and the version each one serves.',
    command: listAliases(c),
  },
];

/** Rollback through an alias, with the warning about `update-user-pool` resetting settings. */
export const rollbackSteps = (c: CommandContext): Step[] => [
  {
    text: 'Stop the damage first: point the alias Cognito calls back at the last healthy version (from `list-versions-by-function`). This takes effect on the next invocation.',
    command: updateAlias(c),
  },
  {
    text: 'If the pool calls the unqualified function (`$LATEST`, no alias), redeploy the previous build through your pipeline instead. Avoid repointing the trigger with `aws cognito-idp update-user-pool`: that call resets every pool setting you leave out to its default.',
  },
];

/** Fresh-log scan plus a canary cycle. */
export const verifySteps = (c: CommandContext): Step[] => [
  {
    text: 'After the fix is live and real traffic (or a test sign-up) has gone through, save the last 15 minutes of the function log.',
    command: fetchFreshLogs(c),
  },
  {
    text: 'Run the trigger-log detectors over it. Exit code 0 means nothing at `error` or above; any finding is printed with its evidence.',
    command: scanLogs(c),
  },
  {
    text: 'Run one canary sign-in cycle against the pool, with the password reference from the pool’s `canary.password` in sentinel.config.yml. It exits 0 when sign-in, token checks and refresh all pass.',
    command: sentinelCheck(c),
  },
];

/** A section's `verify` that proves the fix on the finding's own function: {@link verifySteps}. */
export const verifyFromLogs = (_finding: Finding, c: CommandContext): Step[] => verifySteps(c);

/** Facts about synchronous triggers every trigger section repeats, in the order an engineer needs them. */
export const SYNC_TRIGGER_NOTES: readonly string[] = [
  'Cognito waits 5 seconds for a synchronous trigger and nobody can raise that limit. When the answer is late Cognito may call the function again, so one sign-up can appear as two or three request ids in the log group: anything with side effects (a database row, a message, a provider link) must be safe to run twice.',
  'A function deployed without an explicit timeout gets Lambda’s default of 3 seconds. It then fails before Cognito’s limit, and the caller sees `<Trigger> failed with error ... Task timed out after 3.0x seconds.` as a UserLambdaValidationException. When Cognito gives up first the caller sees UnexpectedLambdaException `... Socket timeout while invoking Lambda function.` instead.',
  'What the caller sees tells you where it broke: UserLambdaValidationException `<Trigger> failed with error <message>` means the function threw or crashed; InvalidLambdaResponseException `Unrecognizable lambda output` means it answered with something that is not the event; UnexpectedLambdaException means the invocation itself failed (timeout, or `AccessDeniedException` when the permission is missing or the function was deleted).',
  'Since late 2024 a re-initialisation after a crash or timeout counts against the next invocation’s timeout. A function whose cold start takes nearly its whole timeout can keep timing out (`Status: timeout` on REPORT lines) until its timeout is raised or its init work shrinks.',
  'A Node.js handler that uses `callback(null, event)` does not return until the event loop is empty while `context.callbackWaitsForEmptyEventLoop` is true, which is the default. An open database pool or keep-alive socket then holds the answer until the timeout. Return the event from an `async` handler, or set the flag to false.',
];

/** The project's trigger middleware, recommended by every trigger section. */
export const MIDDLEWARE_NOTE =
  'Wrap trigger handlers in the project’s middy middleware `triggerContract()` from `middleware/trigger-contract.ts`, last in the `.use()` chain. It checks what the handler returns against the contract for the event’s trigger source and logs one report line per invocation, which this monitor reads. `mode: "observe"` only logs and returns the response unchanged; `mode: "enforce"` also throws `TriggerContractError` on a violation, so the caller gets a UserLambdaValidationException that names the field instead of a vague Cognito error or a silently unconfirmed user. Start with observe, switch to enforce once it is quiet.';

/** Facts for the custom sender triggers, which Cognito does not wait for. */
export const ASYNC_TRIGGER_NOTES: readonly string[] = [
  'Cognito does not wait for custom sender triggers, so its 5-second limit and the caller-facing trigger errors do not apply. The function’s own timeout still does (Lambda’s default is 3 seconds), and a failure reaches nobody except this log group: watch the function’s `Errors` metric as well.',
  'A Node.js handler that uses `callback(...)` does not finish until the event loop is empty while `context.callbackWaitsForEmptyEventLoop` is true (the default); an open connection to the mail or SMS provider can hold it until the timeout.',
];
