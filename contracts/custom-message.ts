/**
 * CustomMessage (`CustomMessage_SignUp`, `_AdminCreateUser`, `_ResendCode`, `_ForgotPassword`,
 * `_UpdateUserAttribute`, `_VerifyUserAttribute`, `_Authentication`).
 *
 * - `smsMessage`, `emailMessage`, `emailSubject` are strings; Cognito's input carries them as
 *   `null`, which means "use the default message".
 * - Each non-null message must contain `request.codeParameter` (when the request is known); for
 *   `CustomMessage_AdminCreateUser` also `request.usernameParameter` (when it is a string). A
 *   link-type verification email (`request.linkParameter` is a string) may carry the link
 *   placeholder instead of the code placeholder: Cognito puts the code inside the link.
 * - At most 140 characters for SMS and 20,000 for email. Cognito's limit counts the message
 *   after substitution; this counts it as written, with the placeholders (`{####}` is as long as
 *   a 6-digit code, a username may differ), so a message within a few characters of the limit
 *   can be misjudged either way.
 * `actual` never quotes the message (personal data): `emailMessage without "{####}" (212
 * characters)`. A `codeParameter` that does not look like a placeholder is not quoted either.
 * Not checked: `emailMessage` needing EmailSendingAccount DEVELOPER (pool setting).
 *
 * Facts: docs/cognito-triggers-and-logs.md (CustomMessage).
 */
import * as z from 'zod';
import { characterCount } from './describe-value';
import { isNonEmptyString, member } from './json-value';
import type { ResponseCheck } from './response-check';
import { schemaViolations } from './schema-violations';
import { toViolation, type Violation } from './violation';

/** Cognito's length limits, in characters. */
export const MESSAGE_LIMITS = { smsMessage: 140, emailMessage: 20_000 } as const;

/** The CustomMessage response as Cognito reads it. */
export const customMessageResponseSchema = z.looseObject({
  smsMessage: z.string().nullish(),
  emailMessage: z.string().nullish(),
  emailSubject: z.string().nullish(),
});

// Placeholders are short and built of braces and hashes; anything else might be a real value.
const PLACEHOLDER = /^[^\s]{1,32}$/;
const looksLikePlaceholder = (text: string): boolean => PLACEHOLDER.test(text) && /[{}#]/.test(text);

// The link placeholder is `{##<link text>##}`, and its link text may contain spaces.
const LINK_PLACEHOLDER = /^\{##[^{}#]{0,40}##\}$/;

const nameOf = (kind: string, parameter: string): string =>
  looksLikePlaceholder(parameter) || (kind === 'link' && LINK_PLACEHOLDER.test(parameter))
    ? parameter
    : `request.${kind}Parameter`;

const placeholderRule = (
  key: keyof typeof MESSAGE_LIMITS,
  message: string,
  kind: 'code' | 'username',
  parameter: string,
  linkParameter?: string,
): Violation | undefined => {
  if (message.includes(parameter)) return undefined;
  if (linkParameter !== undefined && message.includes(linkParameter)) return undefined;
  const named = nameOf(kind, parameter);
  const quoted = looksLikePlaceholder(parameter) ? `"${parameter}"` : `request.${kind}Parameter`;
  const orLink =
    linkParameter === undefined ? '' : ` or the link placeholder ${nameOf('link', linkParameter)}`;
  const length = characterCount(message);
  return toViolation(
    'value',
    `response.${key}`,
    `text containing the ${kind} placeholder ${named}${orLink}`,
    `${key} without ${quoted} (${length} characters)`,
    `response.${key} does not contain the ${kind} placeholder ${named}${orLink}`,
  );
};

const lengthRule = (key: keyof typeof MESSAGE_LIMITS, message: string): Violation | undefined => {
  const length = characterCount(message);
  const limit = MESSAGE_LIMITS[key];
  if (length <= limit) return undefined;
  return toViolation(
    'value',
    `response.${key}`,
    `at most ${limit} characters`,
    `${key} of ${length} characters`,
    `response.${key} has ${length} characters, over Cognito's limit of ${limit}`,
  );
};

/** Checks a CustomMessage response. */
export const checkCustomMessage: ResponseCheck = ({ response, request, triggerSource }) => {
  const violations = schemaViolations(customMessageResponseSchema, response, 'response');
  const codeParameter = member(request, 'codeParameter');
  const usernameParameter = member(request, 'usernameParameter');
  const linkParameter = member(request, 'linkParameter');
  const adminCreateUser = triggerSource?.toLowerCase() === 'custommessage_admincreateuser';
  for (const key of ['smsMessage', 'emailMessage'] as const) {
    const message = response[key];
    if (typeof message !== 'string') continue;
    const found = [
      isNonEmptyString(codeParameter)
        ? placeholderRule(
            key,
            message,
            'code',
            codeParameter,
            // Verification links go by email only.
            key === 'emailMessage' && isNonEmptyString(linkParameter) ? linkParameter : undefined,
          )
        : undefined,
      adminCreateUser && isNonEmptyString(usernameParameter)
        ? placeholderRule(key, message, 'username', usernameParameter)
        : undefined,
      lengthRule(key, message),
    ];
    for (const violation of found) if (violation) violations.push(violation);
  }
  return violations;
};
