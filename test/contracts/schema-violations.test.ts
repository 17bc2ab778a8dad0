import { describe, expect, it } from 'vitest';
import { validateTriggerEvent } from '../../contracts/validate';

const preSignUp = (response: Record<string, unknown>, userAttributes: Record<string, string>) => ({
  version: '1',
  triggerSource: 'PreSignUp_SignUp',
  region: 'us-east-1',
  userPoolId: 'us-east-1_AbC123',
  userName: 'someone',
  callerContext: { awsSdkVersion: 'x', clientId: 'client1' },
  request: { userAttributes },
  response,
});

const fields = (event: Record<string, unknown>) => {
  const result = validateTriggerEvent(event);
  return result.ok === false ? result.violations.map((violation) => violation.field) : [];
};

describe('repeated validation of the same broken response', () => {
  it('gives the same violations every time', () => {
    const event = preSignUp({ autoConfirmUser: 'true' }, { email: 'a@example.com' });
    const first = validateTriggerEvent(event);

    for (let i = 0; i < 5; i++) expect(validateTriggerEvent(event)).toEqual(first);
  });

  it('keeps cross-field violations of one event out of the next', () => {
    const response = { autoConfirmUser: 'true', autoVerifyEmail: true };

    const withoutEmail = fields(preSignUp(response, {}));
    const withEmail = fields(preSignUp(response, { email: 'a@example.com' }));
    const withoutEmailAgain = fields(preSignUp(response, {}));

    expect(withoutEmail).toEqual(['response.autoConfirmUser', 'response.autoVerifyEmail']);
    expect(withEmail).toEqual(['response.autoConfirmUser']);
    expect(withoutEmailAgain).toEqual(withoutEmail);
  });

  it('tells a response with an undefined value apart from one without the key', () => {
    expect(fields(preSignUp({ autoConfirmUser: 'yes' }, {}))).toEqual(['response.autoConfirmUser']);
    expect(fields(preSignUp({ autoConfirmUser: undefined }, {}))).toEqual([]);
  });
});
