/**
 * A built-in sample of trigger log streams: healthy sign-up and sign-in traffic, then the seed
 * incident (a PreSignUp deploy that returns `autoConfirmUser` as the string "true"). The lines are
 * shaped exactly as the Node.js Lambda runtime writes them.
 */
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { toApplicationLine, toEndLine, toReportLine, toStartLine } from './local/lambda-log-lines';
import type { LogLine } from './subscription-payload';

export const DEMO_REGION = 'eu-west-1';
export const DEMO_POOL_ID = 'eu-west-1_Dem0P00l1';
export const DEMO_CLIENT_ID = '3n4mpl3c113nt1d0000000000';

export const DEMO_FUNCTIONS = {
  PreSignUp: 'shop-presignup',
  PreTokenGeneration: 'shop-pretoken',
  DefineAuthChallenge: 'shop-define-auth',
} as const;

export const logGroupOf = (name: string) => `/aws/lambda/${name}`;

const PEOPLE = [
  { userName: 'mary_major', email: 'mary.major@example.com', phone: '+12065551212' },
  { userName: 'diego_ramirez', email: 'diego.r@example.org', phone: '+447700900123' },
  { userName: 'akua_mensah', email: 'akua@example.net', phone: '+233201234567' },
] as const;

type Person = (typeof PEOPLE)[number];

const preSignUpEvent = (person: Person, response: Record<string, unknown>) => ({
  version: '1',
  region: DEMO_REGION,
  userPoolId: DEMO_POOL_ID,
  userName: person.userName,
  callerContext: { awsSdkVersion: 'aws-sdk-js-3.1169.0', clientId: DEMO_CLIENT_ID },
  triggerSource: 'PreSignUp_SignUp',
  request: { userAttributes: { email: person.email, phone_number: person.phone }, validationData: null },
  response,
});

/** Lines of one invocation, timestamps spread from `start`. */
class Invocation {
  readonly requestId = randomUUID();
  readonly lines: LogLine[] = [];
  private clock: number;

  constructor(start: number) {
    this.clock = start;
    this.platform(toStartLine(this.requestId));
  }

  app(level: 'INFO' | 'WARN' | 'ERROR', message: string, advanceMs = 3): this {
    this.clock += advanceMs;
    this.lines.push({
      timestamp: this.clock,
      message: toApplicationLine(this.clock, this.requestId, level, [message]),
    });
    return this;
  }

  end(durationMs: number, initDurationMs?: number): LogLine[] {
    this.clock += durationMs;
    this.platform(toEndLine(this.requestId));
    this.platform(
      toReportLine({
        requestId: this.requestId,
        durationMs,
        memorySizeMb: 256,
        maxMemoryUsedMb: 81,
        ...(initDurationMs ? { initDurationMs } : {}),
      }),
    );
    return this.lines;
  }

  private platform(message: string) {
    this.lines.push({ timestamp: this.clock, message });
  }
}

/** Healthy traffic from three trigger functions, starting at `start` (epoch ms). */
export const healthyTraffic = (start: number): Record<string, LogLine[]> => {
  const preSignUp: LogLine[] = [];
  const preToken: LogLine[] = [];
  const defineAuth: LogLine[] = [];
  PEOPLE.forEach((person, index) => {
    const at = start + index * 1_700;
    const signUp = new Invocation(at)
      .app(
        'INFO',
        `Received ${inspect(preSignUpEvent(person, { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false }), { breakLength: Number.POSITIVE_INFINITY })}`,
      )
      .app(
        'INFO',
        `Returning ${JSON.stringify(preSignUpEvent(person, { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false }))}`,
        40,
      );
    preSignUp.push(...signUp.end(48.31, index === 0 ? 212.4 : undefined));

    const token = new Invocation(at + 600).app(
      'INFO',
      JSON.stringify({
        level: 'INFO',
        message: 'Adding tenant claims',
        service: 'shop-pretoken',
        event: {
          version: '2',
          triggerSource: 'TokenGeneration_Authentication',
          region: DEMO_REGION,
          userPoolId: DEMO_POOL_ID,
          userName: person.userName,
          callerContext: { awsSdkVersion: 'aws-sdk-js-3.1169.0', clientId: DEMO_CLIENT_ID },
          request: { userAttributes: { email: person.email }, scopes: ['openid', 'email'] },
          response: {
            claimsAndScopeOverrideDetails: {
              idTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme', plan: 'pro' } },
              accessTokenGeneration: { scopesToAdd: ['shop/orders.read'] },
            },
          },
        },
      }),
      15,
    );
    preToken.push(...token.end(22.9));

    const define = new Invocation(at + 900).app(
      'INFO',
      `Session ${inspect({ session: [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'CAPTCHA' }] }, { breakLength: Number.POSITIVE_INFINITY })} -> ${inspect({ issueTokens: true, failAuthentication: false })}`,
    );
    defineAuth.push(...define.end(6.4));
  });
  return {
    [logGroupOf(DEMO_FUNCTIONS.PreSignUp)]: preSignUp,
    [logGroupOf(DEMO_FUNCTIONS.PreTokenGeneration)]: preToken,
    [logGroupOf(DEMO_FUNCTIONS.DefineAuthChallenge)]: defineAuth,
  };
};

/**
 * The seed incident: a new PreSignUp version that returns `autoConfirmUser: "true"` for every
 * sign-up. Logged both as the full event (JSON.stringify) and as the bare response (console.log).
 */
export const badDeployTraffic = (start: number): Record<string, LogLine[]> => {
  const lines: LogLine[] = [];
  PEOPLE.forEach((person, index) => {
    const response = { autoConfirmUser: 'true', autoVerifyEmail: true, autoVerifyPhone: false };
    const invocation = new Invocation(start + index * 2_300)
      .app('INFO', `Returning ${JSON.stringify(preSignUpEvent(person, response))}`, 35)
      .app('INFO', `response ${inspect(response)}`, 1);
    lines.push(...invocation.end(39.7, index === 0 ? 231.8 : undefined));
  });
  return { [logGroupOf(DEMO_FUNCTIONS.PreSignUp)]: lines };
};
