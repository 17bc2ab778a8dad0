import { AddPermissionCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/**
 * Grants Cognito (the pool `sourceArn`) the right to invoke `functionName`, as the console does
 * when a trigger is attached: the resource policy statement the config audit checks.
 */
export const allowCognitoToInvoke = (
  lambda: Pick<LambdaClient, 'send'>,
  functionName: string,
  sourceArn: string | undefined,
): Promise<unknown> =>
  lambda.send(
    new AddPermissionCommand({
      FunctionName: functionName,
      StatementId: 'cognito-trigger',
      Action: 'lambda:InvokeFunction',
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: sourceArn,
    }),
  );
