/**
 * PreTokenGeneration (`TokenGeneration_*`), by event `version`:
 *
 * - `"1"`: only `claimsOverrideDetails` {`claimsToAddOrOverride` map of string to string,
 *   `claimsToSuppress` string[], `groupOverrideDetails`}; changes the ID token.
 * - `"2"` / `"3"`: only `claimsAndScopeOverrideDetails` {`idTokenGeneration`,
 *   `accessTokenGeneration` (adds `scopesToAdd`, `scopesToSuppress`), `groupOverrideDetails`};
 *   claim values may be any JSON, but in the ID token `email_verified`, `phone_number_verified`,
 *   `updated_at` and `address` may not be objects; scopes to add may not contain whitespace.
 * - Versions 2/3: the `scope` claim changes only through `scopesToAdd` / `scopesToSuppress`; a
 *   `scope` key in `claimsToAddOrOverride` or `claimsToSuppress` (either token) is a violation.
 * - Protected claims (protected-claims.ts) may not be added, overridden or suppressed; `aud` may
 *   be added to an access token only with the value `callerContext.clientId` (skipped when the
 *   client id is unknown).
 * - The other version's container on an event is reported (Cognito does not read it), as are
 *   type errors inside the right container; the wrong container's content is not judged.
 * Placeholders are not responses: `null`, `[]` (the V2 doc test event) and an object whose keys
 * are all unset are treated as untouched. The request is never judged, so the doc's V2 event with
 * `groupConfiguration.preferredRole` as an array validates clean. With the version unknown each
 * container is checked against its own shape and the container rule is skipped.
 *
 * Facts: docs/cognito-triggers-and-logs.md (PreTokenGeneration).
 */
import * as z from 'zod';
import { describeValue } from './describe-value';
import { isElided } from './elided';
import { isJsonObject, isUnset, member } from './json-value';
import { isProtectedFromOverride, isProtectedFromSuppression } from './protected-claims';
import type { ResponseCheck } from './response-check';
import { expecting, schemaViolations } from './schema-violations';
import { stringMapSchema } from './string-map';
import { toViolation, type Violation } from './violation';

/** `expected` of a protected-claim violation; violation-title.ts recognises the `actual` prefix. */
export const PROTECTED_EXPECTED = 'a claim the trigger may change (not a protected claim)';
/** `expected` of the access-token `aud` rule. */
export const AUD_EXPECTED = 'the app client id (callerContext.clientId)';
/** `expected` of the scope rule. */
export const SCOPE_EXPECTED = 'a scope without whitespace';
/** `expected` of the rule against `scope` in the V2/V3 claim maps; violation-title.ts recognises it. */
export const SCOPE_CLAIM_EXPECTED =
  'a claim other than scope (change scopes with scopesToAdd or scopesToSuppress)';
/** `expected` of the ID-token scalar-claim rule. */
export const SCALAR_EXPECTED = 'string, number or boolean (not an object)';
/** ID-token claims that may not carry an object value. */
export const SCALAR_ID_CLAIMS = ['email_verified', 'phone_number_verified', 'updated_at', 'address'] as const;

const SCALAR_ID: ReadonlySet<string> = new Set(SCALAR_ID_CLAIMS);
const strings = z.array(z.string()).nullish();

const groupOverrideDetailsSchema = z.looseObject({
  groupsToOverride: strings,
  iamRolesToOverride: strings,
  preferredRole: z.string().nullish(),
});

/** Version 1 `claimsOverrideDetails`. */
export const claimsOverrideDetailsSchema = z.looseObject({
  claimsToAddOrOverride: stringMapSchema.nullish(),
  claimsToSuppress: strings,
  groupOverrideDetails: groupOverrideDetailsSchema.nullish(),
});

const tokenGenerationSchema = z.looseObject({
  claimsToAddOrOverride: z.record(z.string(), z.unknown(), expecting('object')).nullish(),
  claimsToSuppress: strings,
});

/** Version 2/3 `claimsAndScopeOverrideDetails`. */
export const claimsAndScopeOverrideDetailsSchema = z.looseObject({
  idTokenGeneration: tokenGenerationSchema.nullish(),
  accessTokenGeneration: tokenGenerationSchema
    .extend({ scopesToAdd: strings, scopesToSuppress: strings })
    .nullish(),
  groupOverrideDetails: groupOverrideDetailsSchema.nullish(),
});

type Token = 'id' | 'access';

interface Container {
  key: 'claimsOverrideDetails' | 'claimsAndScopeOverrideDetails';
  versions: readonly string[];
  schema: z.ZodType;
  /** Token sections inside the container, with the token they change. */
  sections: readonly { path: readonly string[]; token: Token }[];
  /** The container has scope fields, so `scope` may not appear in its claim maps. */
  scopeFields: boolean;
}

const CONTAINERS: readonly Container[] = [
  {
    key: 'claimsOverrideDetails',
    versions: ['1'],
    schema: claimsOverrideDetailsSchema,
    sections: [{ path: [], token: 'id' }],
    scopeFields: false,
  },
  {
    key: 'claimsAndScopeOverrideDetails',
    versions: ['2', '3'],
    schema: claimsAndScopeOverrideDetailsSchema,
    sections: [
      { path: ['idTokenGeneration'], token: 'id' },
      { path: ['accessTokenGeneration'], token: 'access' },
    ],
    scopeFields: true,
  },
];

const isPlaceholder = (value: unknown): boolean =>
  isUnset(value) ||
  (Array.isArray(value) && value.length === 0) ||
  (isJsonObject(value) && Object.values(value).every(isUnset));

const protectedClaim = (field: string, claim: string): Violation =>
  toViolation(
    'value',
    field,
    PROTECTED_EXPECTED,
    `protected claim ${JSON.stringify(claim)}`,
    `${field} changes the protected claim ${JSON.stringify(claim)}, which Cognito does not let a trigger change`,
  );

const scopeClaim = (field: string): Violation =>
  toViolation(
    'value',
    field,
    SCOPE_CLAIM_EXPECTED,
    'claim "scope"',
    `${field} changes the scope claim, which Cognito changes only through scopesToAdd and scopesToSuppress`,
  );

const claimField = (claims: string, claim: string): string => `${claims}.${claim}`;

const addedClaimRule = (
  /** The claim map's path: the claim's field is built only for a violation (this runs per claim). */
  claims: string,
  claim: string,
  value: unknown,
  token: Token,
  clientId: string | undefined,
  scopeFields: boolean,
): Violation | undefined => {
  if (scopeFields && claim === 'scope') return scopeClaim(claimField(claims, claim));
  if (isElided(value)) return undefined;
  if (claim === 'aud' && token === 'access') {
    if (clientId === undefined || value === clientId) return undefined;
    return toViolation(
      'cross-field',
      claimField(claims, claim),
      AUD_EXPECTED,
      describeValue(value),
      `${claimField(claims, claim)} must equal callerContext.clientId, got ${describeValue(value)}`,
    );
  }
  if (isProtectedFromOverride(claim)) return protectedClaim(claimField(claims, claim), claim);
  if (token === 'id' && SCALAR_ID.has(claim) && isJsonObject(value)) {
    return toViolation('value', claimField(claims, claim), SCALAR_EXPECTED, describeValue(value));
  }
  return undefined;
};

const sectionRules = (
  section: unknown,
  field: string,
  token: Token,
  clientId: string | undefined,
  scopeFields: boolean,
): Violation[] => {
  const violations: Violation[] = [];
  const added = member(section, 'claimsToAddOrOverride');
  if (isJsonObject(added)) {
    const claims = `${field}.claimsToAddOrOverride`;
    for (const claim in added) {
      const violation = addedClaimRule(claims, claim, added[claim], token, clientId, scopeFields);
      if (violation) violations.push(violation);
    }
  }
  const suppressed = member(section, 'claimsToSuppress');
  if (Array.isArray(suppressed)) {
    suppressed.forEach((claim, index) => {
      if (scopeFields && claim === 'scope') {
        violations.push(scopeClaim(`${field}.claimsToSuppress.${index}`));
      } else if (typeof claim === 'string' && isProtectedFromSuppression(claim)) {
        violations.push(protectedClaim(`${field}.claimsToSuppress.${index}`, claim));
      }
    });
  }
  const scopes = token === 'access' ? member(section, 'scopesToAdd') : undefined;
  if (Array.isArray(scopes)) {
    scopes.forEach((scope, index) => {
      if (typeof scope === 'string' && /\s/.test(scope)) {
        const scopeField = `${field}.scopesToAdd.${index}`;
        violations.push(
          toViolation(
            'value',
            scopeField,
            SCOPE_EXPECTED,
            `string with whitespace (${scope.length} characters)`,
          ),
        );
      }
    });
  }
  return violations;
};

/** Each section's field path, by container: fixed, so built once rather than per response. */
const SECTION_FIELDS = new Map(
  CONTAINERS.map((container) => [
    container,
    container.sections.map(({ path }) => [`response.${container.key}`, ...path].join('.')),
  ]),
);

const containerRules = (container: Container, value: unknown, clientId: string | undefined): Violation[] => {
  const violations = schemaViolations(container.schema, value, `response.${container.key}`);
  const fields = SECTION_FIELDS.get(container) ?? [];
  container.sections.forEach(({ path, token }, index) => {
    let section = value;
    for (const key of path) section = member(section, key);
    const found = sectionRules(section, fields[index] ?? '', token, clientId, container.scopeFields);
    for (const violation of found) violations.push(violation);
  });
  return violations;
};

/** Checks a PreTokenGeneration response against the container its event version uses. */
export const checkPreTokenGeneration: ResponseCheck = ({ response, version, callerContext }) => {
  const clientIdValue = member(callerContext, 'clientId');
  const clientId = typeof clientIdValue === 'string' ? clientIdValue : undefined;
  const violations: Violation[] = [];
  for (const container of CONTAINERS) {
    const value = response[container.key];
    if (isPlaceholder(value) || isElided(value)) continue;
    const other = CONTAINERS.find((candidate) => candidate !== container);
    if (version !== undefined && other?.versions.includes(version)) {
      const field = `response.${container.key}`;
      violations.push(
        toViolation(
          'cross-field',
          field,
          `absent on a version "${version}" event (use ${other.key})`,
          describeValue(value),
          `${field} is set on a version "${version}" event, where Cognito reads only ${other.key}`,
        ),
      );
      continue;
    }
    violations.push(...containerRules(container, value, clientId));
  }
  return violations;
};
