/**
 * fast-check arbitraries for the events Amazon Cognito sends to each user-pool Lambda trigger, one
 * per `triggerSource`, shaped like the real events: the common envelope, `request` with the fields
 * each source carries, and `response` with the placeholders Cognito pre-fills (`false` flags for
 * PreSignUp, `null` keys for UserMigration, CustomMessage and custom auth, `{}` elsewhere).
 *
 * They vary the inputs real handlers trip on: phone-only, email-only and federated sign-ups,
 * AdminCreateUser with few attributes, forgot-password migrations without a password, every
 * custom-auth round (the `session` growing with right and wrong answers), optional attributes
 * missing, `clientMetadata` and `validationData` present, `null` or absent, pre token generation
 * events of versions 1, 2 and 3 with and without groups and scopes.
 *
 * Facts: docs/cognito-triggers-and-logs.md (event shapes and triggerSource values).
 */
import fc from 'fast-check';
import {
  CUSTOM_MESSAGE_SOURCES,
  type TriggerName,
  USER_TOKEN_GENERATION_SOURCES,
} from '../contracts/triggers';

/** A trigger event as Cognito sends it (plain JSON). */
export type CognitoEvent = Record<string, unknown>;

/**
 * The triggers `test-trigger` and {@link cognitoEvents} know. LambdaConfig keys, except that pre
 * token generation is split by event version: `PreTokenGeneration` is version 1.
 */
export const TEST_TRIGGERS = [
  'PreSignUp',
  'PostConfirmation',
  'PreAuthentication',
  'PostAuthentication',
  'PreTokenGeneration',
  'PreTokenGenerationV2',
  'PreTokenGenerationV3',
  'CustomMessage',
  'UserMigration',
  'DefineAuthChallenge',
  'CreateAuthChallenge',
  'VerifyAuthChallengeResponse',
  'InboundFederation',
] as const;
export type TestTrigger = (typeof TEST_TRIGGERS)[number];

/** True when `value` names one of {@link TEST_TRIGGERS}. */
export const isTestTrigger = (value: string): value is TestTrigger =>
  (TEST_TRIGGERS as readonly string[]).includes(value);

/** The LambdaConfig key each test trigger is wired to. */
export const LAMBDA_CONFIG_KEY: Readonly<Record<TestTrigger, TriggerName>> = {
  PreSignUp: 'PreSignUp',
  PostConfirmation: 'PostConfirmation',
  PreAuthentication: 'PreAuthentication',
  PostAuthentication: 'PostAuthentication',
  PreTokenGeneration: 'PreTokenGeneration',
  PreTokenGenerationV2: 'PreTokenGeneration',
  PreTokenGenerationV3: 'PreTokenGeneration',
  CustomMessage: 'CustomMessage',
  UserMigration: 'UserMigration',
  DefineAuthChallenge: 'DefineAuthChallenge',
  CreateAuthChallenge: 'CreateAuthChallenge',
  VerifyAuthChallengeResponse: 'VerifyAuthChallengeResponse',
  InboundFederation: 'InboundFederation',
};

/** Every `triggerSource` Cognito sends to each test trigger. */
export const TRIGGER_SOURCES = {
  PreSignUp: ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'],
  PostConfirmation: ['PostConfirmation_ConfirmSignUp', 'PostConfirmation_ConfirmForgotPassword'],
  PreAuthentication: ['PreAuthentication_Authentication'],
  PostAuthentication: ['PostAuthentication_Authentication'],
  PreTokenGeneration: USER_TOKEN_GENERATION_SOURCES,
  PreTokenGenerationV2: USER_TOKEN_GENERATION_SOURCES,
  PreTokenGenerationV3: [...USER_TOKEN_GENERATION_SOURCES, 'TokenGeneration_ClientCredentials'],
  CustomMessage: CUSTOM_MESSAGE_SOURCES,
  UserMigration: ['UserMigration_Authentication', 'UserMigration_ForgotPassword'],
  DefineAuthChallenge: ['DefineAuthChallenge_Authentication'],
  CreateAuthChallenge: ['CreateAuthChallenge_Authentication'],
  VerifyAuthChallengeResponse: ['VerifyAuthChallengeResponse_Authentication'],
  InboundFederation: ['InboundFederation_ExternalProvider'],
} as const satisfies Readonly<Record<TestTrigger, readonly string[]>>;

/** The `triggerSource` values of one test trigger. */
export type TriggerSourceOf<T extends TestTrigger> = (typeof TRIGGER_SOURCES)[T][number];

/** Arbitraries by trigger, then by `triggerSource`. */
export type CognitoEventArbitraries = {
  readonly [T in TestTrigger]: { readonly [S in TriggerSourceOf<T>]: fc.Arbitrary<CognitoEvent> };
};

// ---------- building blocks ----------

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'] as const;
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const ALNUM = [...LOWER_ALNUM, ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')];
const DIGITS = '0123456789'.split('');

const chars = (alphabet: readonly string[], length: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: length, maxLength: length }).map((c) => c.join(''));

const word = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), { minLength: 1, maxLength: 10 })
  .map((c) => c.join(''));
const personName = word.map((w) => w.charAt(0).toUpperCase() + w.slice(1));
const email = fc.tuple(word, word).map(([user, domain]) => `${user}@${domain}.example.com`);
const phone = chars(DIGITS, 7).map((digits) => `+1206${digits}`);
const text = fc.string({ maxLength: 24 });

/** A string-to-string map such as `clientMetadata`, including `{}`. */
const stringMap = fc.dictionary(word, text, { maxKeys: 3 });

const envelope = (triggerSource: string, version: fc.Arbitrary<string> = fc.constant('1')) =>
  fc.record({
    version,
    triggerSource: fc.constant(triggerSource),
    region: fc.constantFrom(...REGIONS),
    userPoolSuffix: chars(ALNUM, 9),
    userName: fc.oneof(fc.uuid(), word, email),
    callerContext: fc.record({
      awsSdkVersion: fc.constantFrom('aws-sdk-unknown-unknown', 'aws-sdk-js-3.600.0', 'aws-sdk-java-2.25.0'),
      clientId: chars(LOWER_ALNUM, 26),
    }),
  });

/** Puts the envelope, request and response together in the order Cognito writes them. */
const toEvent = (
  head: {
    version: string;
    triggerSource: string;
    region: string;
    userPoolSuffix: string;
    userName: string | null;
    callerContext: object;
  },
  request: Record<string, unknown>,
  response: Record<string, unknown>,
): CognitoEvent => ({
  version: head.version,
  triggerSource: head.triggerSource,
  region: head.region,
  userPoolId: `${head.region}_${head.userPoolSuffix}`,
  userName: head.userName,
  callerContext: head.callerContext,
  request,
  response,
});

/** Keeps only the keys whose value is not `undefined`: an absent optional field, as Cognito omits it. */
const compact = (record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/** Absent, `null` or a map: how Cognito passes `clientMetadata` / `validationData` depending on the API. */
const optionalMap = fc.oneof(fc.constant(undefined), fc.constant(null), stringMap);

type Contact = 'email' | 'phone' | 'both' | 'none';

/**
 * User attributes of an existing or signing-up user: `sub` and status for existing users,
 * email-only, phone-only, both or neither, verified flags as strings, optional names and custom
 * attributes.
 */
const userAttributes = (options: { existing: boolean; contacts?: readonly Contact[] }) =>
  fc
    .record({
      contact: fc.constantFrom<Contact>(...(options.contacts ?? ['email', 'phone', 'both'])),
      sub: fc.uuid(),
      email,
      phone,
      emailVerified: fc.constantFrom('true', 'false'),
      phoneVerified: fc.constantFrom('true', 'false'),
      name: fc.option(personName, { nil: undefined }),
      givenName: fc.option(personName, { nil: undefined }),
      familyName: fc.option(personName, { nil: undefined }),
      locale: fc.option(fc.constantFrom('en', 'de', 'ja'), { nil: undefined }),
      tier: fc.option(fc.constantFrom('free', 'gold'), { nil: undefined }),
    })
    .map((a) => {
      const hasEmail = a.contact === 'email' || a.contact === 'both';
      const hasPhone = a.contact === 'phone' || a.contact === 'both';
      return compact({
        ...(options.existing ? { sub: a.sub, 'cognito:user_status': 'CONFIRMED' } : {}),
        email: hasEmail ? a.email : undefined,
        email_verified: options.existing && hasEmail ? a.emailVerified : undefined,
        phone_number: hasPhone ? a.phone : undefined,
        phone_number_verified: options.existing && hasPhone ? a.phoneVerified : undefined,
        name: a.name,
        given_name: a.givenName,
        family_name: a.familyName,
        locale: a.locale,
        'custom:tier': a.tier,
      });
    });

// ---------- per trigger ----------

const preSignUp = (triggerSource: string) => {
  const admin = triggerSource === 'PreSignUp_AdminCreateUser';
  const external = triggerSource === 'PreSignUp_ExternalProvider';
  return fc
    .record({
      head: envelope(triggerSource),
      provider: fc.constantFrom('Google', 'Facebook', 'SignInWithApple', 'LoginWithAmazon', 'Okta'),
      providerUserId: chars(DIGITS, 12),
      userAttributes: userAttributes({
        existing: false,
        contacts: admin ? ['email', 'phone', 'both', 'none'] : external ? ['email', 'none'] : undefined,
      }),
      validationData: optionalMap,
      clientMetadata: optionalMap,
    })
    .map(({ head, provider, providerUserId, userAttributes, validationData, clientMetadata }) =>
      toEvent(
        external ? { ...head, userName: `${provider}_${providerUserId}` } : head,
        compact({ userAttributes, validationData: validationData ?? null, clientMetadata }),
        { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      ),
    );
};

const postConfirmation = (triggerSource: string) =>
  fc
    .record({
      head: envelope(triggerSource),
      userAttributes: userAttributes({ existing: true }),
      clientMetadata: optionalMap,
    })
    .map(({ head, userAttributes, clientMetadata }) =>
      toEvent(head, compact({ userAttributes, clientMetadata }), {}),
    );

const preAuthentication = (triggerSource: string) =>
  fc
    .record({
      head: envelope(triggerSource),
      userAttributes: userAttributes({ existing: true }),
      validationData: optionalMap,
      userNotFound: fc.option(fc.boolean(), { nil: undefined }),
    })
    .map(({ head, userAttributes, validationData, userNotFound }) =>
      toEvent(head, compact({ userAttributes, validationData: validationData ?? null, userNotFound }), {}),
    );

const postAuthentication = (triggerSource: string) =>
  fc
    .record({
      head: envelope(triggerSource),
      userAttributes: userAttributes({ existing: true }),
      newDeviceUsed: fc.option(fc.boolean(), { nil: undefined }),
      clientMetadata: optionalMap,
    })
    .map(({ head, userAttributes, newDeviceUsed, clientMetadata }) =>
      toEvent(head, compact({ userAttributes, newDeviceUsed, clientMetadata }), {}),
    );

const groupConfiguration = fc.record({
  groupsToOverride: fc.array(word, { maxLength: 3 }),
  iamRolesToOverride: fc.array(
    word.map((name) => `arn:aws:iam::123456789012:role/${name}`),
    { maxLength: 2 },
  ),
  preferredRole: fc.option(
    word.map((name) => `arn:aws:iam::123456789012:role/${name}`),
    { nil: null },
  ),
});
const SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin', 'orders/read'];

const preTokenGeneration = (triggerSource: string, version: '1' | '2' | '3') => {
  const machine = triggerSource === 'TokenGeneration_ClientCredentials';
  const container = version === '1' ? 'claimsOverrideDetails' : 'claimsAndScopeOverrideDetails';
  return fc
    .record({
      head: envelope(triggerSource, fc.constant(version)),
      userAttributes: userAttributes({ existing: true }),
      groupConfiguration,
      scopes: fc.subarray(SCOPES),
      clientMetadata: optionalMap,
      // Cognito's input carries the container as null; the V2 documentation's test event has [].
      placeholder: version === '1' ? fc.constant(null) : fc.constantFrom<null | []>(null, []),
    })
    .map(({ head, userAttributes, groupConfiguration, scopes, clientMetadata, placeholder }) =>
      toEvent(
        head,
        compact({
          userAttributes: machine ? {} : userAttributes,
          groupConfiguration: machine ? undefined : groupConfiguration,
          scopes: version === '1' ? undefined : scopes,
          clientMetadata,
        }),
        { [container]: placeholder },
      ),
    );
};

const customMessage = (triggerSource: string) => {
  const admin = triggerSource === 'CustomMessage_AdminCreateUser';
  const verification = [
    'CustomMessage_SignUp',
    'CustomMessage_ResendCode',
    'CustomMessage_UpdateUserAttribute',
    'CustomMessage_VerifyUserAttribute',
  ].includes(triggerSource);
  return fc
    .record({
      head: envelope(triggerSource),
      userAttributes: userAttributes({ existing: !admin }),
      // Link-type verification emails carry the link placeholder; the others carry null.
      linkParameter: verification
        ? fc.constantFrom('{##Click Here##}', '{##Verify Email##}', null)
        : fc.constant(null),
      clientMetadata: optionalMap,
    })
    .map(({ head, userAttributes, linkParameter, clientMetadata }) =>
      toEvent(
        head,
        compact({
          userAttributes,
          codeParameter: '{####}',
          linkParameter,
          usernameParameter: admin ? '{username}' : null,
          clientMetadata,
        }),
        { smsMessage: null, emailMessage: null, emailSubject: null },
      ),
    );
};

const userMigration = (triggerSource: string) => {
  const forgot = triggerSource === 'UserMigration_ForgotPassword';
  return fc
    .record({
      head: envelope(triggerSource),
      password: fc.string({ minLength: 8, maxLength: 24 }),
      validationData: optionalMap,
      clientMetadata: optionalMap,
    })
    .map(({ head, password, validationData, clientMetadata }) =>
      toEvent(
        head,
        compact({
          password: forgot ? undefined : password,
          validationData: validationData ?? null,
          clientMetadata,
          userAttributes: null,
        }),
        {
          userAttributes: null,
          forceAliasCreation: null,
          enableSMSMFA: null,
          finalUserStatus: null,
          messageAction: null,
          desiredDeliveryMediums: null,
        },
      ),
    );
};

/**
 * The `session` of a custom-auth flow at some round: optionally SRP first (`SRP_A`, then
 * `PASSWORD_VERIFIER` right or wrong), then custom challenges answered right or wrong.
 */
const session = fc
  .record({
    srp: fc.boolean(),
    passwordRight: fc.boolean(),
    answers: fc.array(fc.boolean(), { maxLength: 4 }),
    metadata: fc.option(fc.constantFrom('CAPTCHA', 'CODE-1', 'QUESTION'), { nil: null }),
  })
  .map(({ srp, passwordRight, answers, metadata }) => [
    ...(srp
      ? [
          { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
          { challengeName: 'PASSWORD_VERIFIER', challengeResult: passwordRight, challengeMetadata: null },
        ]
      : []),
    ...answers.map((right) => ({
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: right,
      challengeMetadata: metadata,
    })),
  ]);

/**
 * A DefineAuthChallenge or CreateAuthChallenge event: the same request (the user, the session so
 * far, `challenge` fields of its own), each with its own empty response, copied per event because
 * a handler under test writes to it.
 */
const sessionChallenge = (
  triggerSource: string,
  challenge: Record<string, unknown>,
  response: Record<string, unknown>,
) =>
  fc
    .record({
      head: envelope(triggerSource),
      userAttributes: userAttributes({ existing: true }),
      session,
      clientMetadata: optionalMap,
      userNotFound: fc.option(fc.boolean(), { nil: undefined }),
    })
    .map(({ head, userAttributes, session, clientMetadata, userNotFound }) =>
      toEvent(head, compact({ userAttributes, ...challenge, session, clientMetadata, userNotFound }), {
        ...response,
      }),
    );

const defineAuthChallenge = (triggerSource: string) =>
  sessionChallenge(triggerSource, {}, { challengeName: null, issueTokens: null, failAuthentication: null });

const createAuthChallenge = (triggerSource: string) =>
  sessionChallenge(
    triggerSource,
    { challengeName: 'CUSTOM_CHALLENGE' },
    { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  );

const verifyAuthChallengeResponse = (triggerSource: string) =>
  fc
    .record({
      head: envelope(triggerSource),
      userAttributes: userAttributes({ existing: true }),
      answer: chars(DIGITS, 6),
      // A right answer, a wrong one, or an empty one.
      given: fc.oneof(fc.constant<string | undefined>(undefined), chars(DIGITS, 6), fc.constant('')),
      clientMetadata: optionalMap,
      userNotFound: fc.option(fc.boolean(), { nil: undefined }),
    })
    .map(({ head, userAttributes, answer, given, clientMetadata, userNotFound }) =>
      toEvent(
        head,
        compact({
          userAttributes,
          privateChallengeParameters: { answer },
          challengeAnswer: given ?? answer,
          clientMetadata,
          userNotFound,
        }),
        { answerCorrect: null },
      ),
    );

const inboundFederation = (triggerSource: string) =>
  fc
    .record({
      head: envelope(triggerSource),
      providerType: fc.constantFrom(
        'OIDC',
        'SAML',
        'Google',
        'Facebook',
        'SignInWithApple',
        'LoginWithAmazon',
      ),
      providerName: fc.constantFrom('Okta', 'Entra', 'Google', 'Facebook'),
      claims: fc.record({ email, given_name: personName }, { requiredKeys: [] }),
    })
    .map(({ head, providerType, providerName, claims }) =>
      toEvent(
        head,
        {
          providerName,
          providerType,
          attributes:
            providerType === 'SAML'
              ? { samlResponse: claims }
              : { userInfo: claims, idToken: { sub: head.userName ?? '' } },
        },
        { userAttributesToMap: {} },
      ),
    );

const BUILDERS: Readonly<Record<TestTrigger, (triggerSource: string) => fc.Arbitrary<CognitoEvent>>> = {
  PreSignUp: preSignUp,
  PostConfirmation: postConfirmation,
  PreAuthentication: preAuthentication,
  PostAuthentication: postAuthentication,
  PreTokenGeneration: (source) => preTokenGeneration(source, '1'),
  PreTokenGenerationV2: (source) => preTokenGeneration(source, '2'),
  PreTokenGenerationV3: (source) => preTokenGeneration(source, '3'),
  CustomMessage: customMessage,
  UserMigration: userMigration,
  DefineAuthChallenge: defineAuthChallenge,
  CreateAuthChallenge: createAuthChallenge,
  VerifyAuthChallengeResponse: verifyAuthChallengeResponse,
  InboundFederation: inboundFederation,
};

/**
 * Arbitraries of the events Cognito sends, by trigger and then by `triggerSource`:
 * `cognitoEvents.PreSignUp.PreSignUp_ExternalProvider` generates federated first sign-ins.
 */
export const cognitoEvents = Object.fromEntries(
  TEST_TRIGGERS.map((trigger) => [
    trigger,
    Object.fromEntries(
      (TRIGGER_SOURCES[trigger] as readonly string[]).map((source) => [source, BUILDERS[trigger](source)]),
    ),
  ]),
) as CognitoEventArbitraries;

/** One arbitrary over every `triggerSource` of `trigger`. */
export const anyCognitoEvent = (trigger: TestTrigger): fc.Arbitrary<CognitoEvent> =>
  fc.oneof(...(Object.values(cognitoEvents[trigger]) as fc.Arbitrary<CognitoEvent>[]));
