/**
 * Exceptions of the canary: broken infrastructure only. An expected outcome (a refused sign-in, a
 * throttled call) is an observation and a finding, never an exception.
 */

import { SentinelError } from '../runtime/errors';
import type { CanaryProblem } from './runner';

/**
 * Some targets could not be checked at all (a secret that cannot be read, a crash). Thrown by the
 * handler after every other pool was checked and the alerts were handled, so the invocation fails
 * and the monitor's own alarm sees it.
 */
export class CanaryRunError extends SentinelError {
  override readonly name = 'CanaryRunError';
  readonly code = 'canary-run';
  readonly problems: readonly Omit<CanaryProblem, 'error'>[];

  constructor(problems: readonly CanaryProblem[]) {
    super(
      `The canary could not check ${problems.length} target${problems.length === 1 ? '' : 's'}: ${problems
        .map(
          (problem) =>
            `${problem.userPoolId}${problem.clientId === undefined ? '' : `/${problem.clientId}`}: ${problem.message}`,
        )
        .join('; ')}`,
      {
        cause:
          problems.length === 1
            ? problems[0]?.error
            : new AggregateError(problems.map((problem) => problem.error)),
      },
    );
    this.problems = problems.map(({ error: _error, ...rest }) => rest);
  }
}
