import { describe, expect, it } from 'vitest';
import { parseContractReport, toContractReport, violationTitle } from '../../contracts';
import { validateTriggerEvent } from '../../contracts/validate';
import { triggerResponseInvalid } from '../../detectors/trigger-response-invalid';
import { DEFAULT_DETECTOR_CONFIG } from '../../detectors/types';
import { payloadEvent } from '../fixtures/observations/builders';
import * as e from '../fixtures/triggers/events';

const violationsOf = (event: Record<string, unknown>) => {
  const result = validateTriggerEvent(event, { returned: true });
  return result.ok === false ? result.violations : [];
};

describe('UserMigration: a response that migrates must carry userAttributes', () => {
  it.each([
    ['finalUserStatus', { finalUserStatus: 'CONFIRMED' }],
    ['messageAction', { messageAction: 'SUPPRESS' }],
    ['desiredDeliveryMediums', { desiredDeliveryMediums: ['EMAIL'] }],
    ['forceAliasCreation', { forceAliasCreation: false }],
  ])('reports missing userAttributes when only %s is set', (_key, patch) => {
    expect(violationsOf(e.patchResponse(e.userMigrationInput, patch))).toEqual([
      expect.objectContaining({ field: 'response.userAttributes', actual: 'null', rule: 'required' }),
    ]);
  });

  it('accepts the same keys with userAttributes, and the untouched user-not-found response', () => {
    const attributes = { userAttributes: { email: e.PERSONAL_DATA.email } };
    expect(
      violationsOf(
        e.patchResponse(e.userMigrationInput, {
          ...attributes,
          desiredDeliveryMediums: ['EMAIL'],
          forceAliasCreation: true,
        }),
      ),
    ).toEqual([]);
    expect(violationsOf(e.userMigrationInput())).toEqual([]);
  });
});

describe('CustomMessage: a link-type verification email', () => {
  const link = '<a href="https://example.com">{##Click Here##}</a>';

  it('accepts an emailMessage that carries the link placeholder instead of the code placeholder', () => {
    expect(violationsOf(e.patchResponse(e.customMessageInput, { emailMessage: link }))).toEqual([]);
  });

  it('still reports an emailMessage with neither placeholder, naming both', () => {
    const [violation] = violationsOf(e.patchResponse(e.customMessageInput, { emailMessage: 'Welcome!' }));
    expect(violation).toMatchObject({
      field: 'response.emailMessage',
      expected: 'text containing the code placeholder {####} or the link placeholder {##Click Here##}',
    });
    expect(violationTitle('CustomMessage', violation ?? { field: '', expected: '', actual: '' })).toBe(
      'CustomMessage emailMessage lacks the code placeholder {####} or the link placeholder {##Click Here##}',
    );
  });

  it('still requires the code placeholder when the request has no linkParameter, and in SMS', () => {
    const noLink = () => {
      const event = e.customMessageInput();
      return { ...event, request: { ...(event.request as object), linkParameter: null } };
    };
    expect(violationsOf(e.patchResponse(noLink, { emailMessage: link }))).toEqual([
      expect.objectContaining({
        field: 'response.emailMessage',
        expected: 'text containing the code placeholder {####}',
      }),
    ]);
    expect(
      violationsOf(e.patchResponse(e.customMessageInput, { smsMessage: 'Go {##Click Here##}' })),
    ).toEqual([expect.objectContaining({ field: 'response.smsMessage' })]);
  });
});

describe('PreTokenGeneration V2/V3: scope changes only through the scope fields', () => {
  const v2 = (details: Record<string, unknown>) =>
    e.withResponse(e.preTokenV2Input, { claimsAndScopeOverrideDetails: details });

  it.each([
    [
      'an access-token claimsToAddOrOverride',
      { accessTokenGeneration: { claimsToAddOrOverride: { scope: 'orders/read' } } },
      'response.claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride.scope',
    ],
    [
      'an ID-token claimsToAddOrOverride',
      { idTokenGeneration: { claimsToAddOrOverride: { scope: 'openid' } } },
      'response.claimsAndScopeOverrideDetails.idTokenGeneration.claimsToAddOrOverride.scope',
    ],
    [
      'an access-token claimsToSuppress',
      { accessTokenGeneration: { claimsToSuppress: ['scope'] } },
      'response.claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToSuppress.0',
    ],
  ])('reports scope in %s', (_where, details, field) => {
    const violations = violationsOf(v2(details));
    expect(violations).toEqual([expect.objectContaining({ field, actual: 'claim "scope"' })]);
    expect(
      violationTitle('PreTokenGeneration', violations[0] ?? { field, expected: '', actual: '' }),
    ).toMatch(/changes the scope claim .*only through scopesToAdd and scopesToSuppress$/);
  });

  it('accepts scopes changed through scopesToAdd and scopesToSuppress', () => {
    expect(
      violationsOf(
        v2({ accessTokenGeneration: { scopesToAdd: ['orders/read'], scopesToSuppress: ['phone'] } }),
      ),
    ).toEqual([]);
  });
});

describe('DefineAuthChallenge: an unknown challengeName', () => {
  it('is a warning naming the value, and pages as a warning, not critical', () => {
    const event = e.patchResponse(e.defineAuthChallengeInput, {
      challengeName: 'CUSTOM',
      issueTokens: false,
      failAuthentication: false,
    });
    const violations = violationsOf(event);
    expect(violations).toEqual([
      expect.objectContaining({
        field: 'response.challengeName',
        actual: 'string "CUSTOM"',
        severity: 'warning',
      }),
    ]);
    const report = toContractReport({ result: validateTriggerEvent(event, { returned: true }), event });
    const parsed = parseContractReport(JSON.stringify(report));
    expect(parsed?.violations[0]?.severity).toBe('warning');

    const [finding] = triggerResponseInvalid.detect(
      [
        payloadEvent(event, JSON.stringify(event), {
          origin: { logGroup: '/aws/lambda/auth-define', timestamp: '2026-01-01T00:00:00.000Z' },
        }),
      ],
      { config: DEFAULT_DETECTOR_CONFIG, now: new Date(0) },
    );
    expect(finding).toMatchObject({ severity: 'warning', title: expect.stringContaining('"CUSTOM"') });
  });

  it.each(['CUSTOM_CHALLENGE', 'PASSWORD_VERIFIER'])('accepts the documented %s', (challengeName) => {
    expect(
      violationsOf(e.patchResponse(e.defineAuthChallengeInput, { challengeName, issueTokens: false })),
    ).toEqual([]);
  });

  it('does not judge challengeName when tokens are issued', () => {
    expect(
      violationsOf(
        e.patchResponse(e.defineAuthChallengeInput, { challengeName: 'whatever', issueTokens: true }),
      ),
    ).toEqual([]);
  });
});
