/**
 * The Lambda functions behind the watched trigger log groups. Pure: used by the deployed functions
 * and by deploy/stack.ts (which scopes IAM to exactly these functions).
 */

/** Function names of the watched trigger log groups (`/aws/lambda/<name>`); other log groups name no function. */
export const toWatchedFunctions = (logGroups: Iterable<string>): ReadonlySet<string> => {
  const names = new Set<string>();
  for (const logGroup of logGroups) {
    const match = /^\/aws\/lambda\/(.+)$/.exec(logGroup);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
};
