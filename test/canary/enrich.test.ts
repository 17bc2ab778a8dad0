import { describe, expect, it } from 'vitest';
import { toTriggerFunctions } from '../../canary/enrich';

describe('toTriggerFunctions', () => {
  it('reads the LambdaConfig keys, V2 pre-token config and custom senders', () => {
    expect(
      toTriggerFunctions({
        PreSignUp: 'arn:aws:lambda:us-east-1:1:function:a',
        PreTokenGeneration: 'arn:aws:lambda:us-east-1:1:function:old',
        PreTokenGenerationConfig: {
          LambdaArn: 'arn:aws:lambda:us-east-1:1:function:v2',
          LambdaVersion: 'V2_0',
        },
        CustomEmailSender: { LambdaArn: 'arn:aws:lambda:us-east-1:1:function:mail', LambdaVersion: 'V1_0' },
      }),
    ).toEqual({
      PreSignUp: 'arn:aws:lambda:us-east-1:1:function:a',
      PreTokenGeneration: 'arn:aws:lambda:us-east-1:1:function:v2',
      CustomEmailSender: 'arn:aws:lambda:us-east-1:1:function:mail',
    });
  });

  it('attributes an inbound-federation function to its trigger, as the configuration audit does', () => {
    // The canary once skipped this trigger, so a trigger error naming its function was left unattributed.
    expect(
      toTriggerFunctions({
        InboundFederation: {
          LambdaArn: 'arn:aws:lambda:us-east-1:1:function:federate',
          LambdaVersion: 'V1_0',
        },
      }),
    ).toEqual({ InboundFederation: 'arn:aws:lambda:us-east-1:1:function:federate' });
  });
});
