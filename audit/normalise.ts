/**
 * From Cognito's and Lambda's answers to the snapshot's sections: only the watched settings,
 * named as the API names them, sets sorted (order is never a change), validities with their unit
 * (`60 minutes`), and a client secret replaced by its keyed fingerprint. Pure.
 */
import type {
  DomainDescriptionType,
  UserPoolClientType,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { listWiredTriggers, type TriggerName } from '../contracts/triggers';
import { clientField, type Settings, type SettingValue } from '../detectors/config-observations';

type MutableSettings = Record<string, SettingValue>;

const put = (settings: MutableSettings, field: string, value: unknown): void => {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) settings[field] = [...new Set(value.map(String))].sort();
  else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    settings[field] = value;
};

/** Puts each named top-level field of `source`, under the name `field` gives it, in table order. */
const putFields = <T extends object>(
  settings: MutableSettings,
  source: T,
  names: readonly (keyof T & string)[],
  field: (name: string) => string = (name) => name,
): void => {
  for (const name of names) put(settings, field(name), source[name]);
};

/** DescribeUserPool's top-level watched fields, in snapshot order. */
const POOL_FIELDS = [
  'Name',
  'DeletionProtection',
  'MfaConfiguration',
  'Domain',
  'CustomDomain',
  'UserPoolTier',
  'UsernameAttributes',
  'AliasAttributes',
  'AutoVerifiedAttributes',
] as const satisfies readonly (keyof UserPoolType)[];

/** DescribeUserPoolClient's top-level watched fields before the token validities. */
const CLIENT_FIELDS = [
  'ClientName',
  'CallbackURLs',
  'LogoutURLs',
  'DefaultRedirectURI',
  'ExplicitAuthFlows',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'AllowedOAuthFlowsUserPoolClient',
  'SupportedIdentityProviders',
  'ReadAttributes',
  'WriteAttributes',
] as const satisfies readonly (keyof UserPoolClientType)[];

/** DescribeUserPoolClient's top-level watched fields after the token validities. */
const CLIENT_SESSION_FIELDS = [
  'AuthSessionValidity',
  'PreventUserExistenceErrors',
  'EnableTokenRevocation',
  'EnablePropagateAdditionalUserContextData',
] as const satisfies readonly (keyof UserPoolClientType)[];

/** GetFunctionConfiguration's watched fields. */
const FUNCTION_FIELDS = [
  'FunctionName',
  'Runtime',
  'Timeout',
  'CodeSha256',
  'LastModified',
  'Version',
] as const satisfies readonly (keyof FunctionConfiguration)[];

/** The `pool` section: DescribeUserPool's watched settings. */
export const toPoolSettings = (pool: UserPoolType): Settings => {
  const settings: MutableSettings = {};
  putFields(settings, pool, POOL_FIELDS);
  put(
    settings,
    'AdminCreateUserConfig.AllowAdminCreateUserOnly',
    pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly,
  );
  put(
    settings,
    'Policies.SignInPolicy.AllowedFirstAuthFactors',
    pool.Policies?.SignInPolicy?.AllowedFirstAuthFactors,
  );
  const lambda = pool.LambdaConfig;
  for (const { trigger, arn } of listWiredTriggers(lambda)) put(settings, `LambdaConfig.${trigger}`, arn);
  put(
    settings,
    'LambdaConfig.PreTokenGeneration.LambdaVersion',
    lambda?.PreTokenGenerationConfig?.LambdaVersion,
  );
  put(settings, 'LambdaConfig.CustomSMSSender.LambdaVersion', lambda?.CustomSMSSender?.LambdaVersion);
  put(settings, 'LambdaConfig.CustomEmailSender.LambdaVersion', lambda?.CustomEmailSender?.LambdaVersion);
  put(settings, 'LambdaConfig.KMSKeyID', lambda?.KMSKeyID);
  return settings;
};

/** Units Cognito uses when TokenValidityUnits leaves one out. */
const DEFAULT_UNITS = { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' } as const;

/**
 * What Cognito applies when a client has no validity set: access and ID tokens 60 minutes, refresh
 * tokens 30 days. AWS reports these; some emulators leave them out, which must not read as a change.
 */
const DEFAULT_VALIDITY = {
  AccessToken: '60 minutes',
  IdToken: '60 minutes',
  RefreshToken: '30 days',
} as const;

/**
 * The `client:<id>` section: DescribeUserPoolClient's watched settings. `secretFingerprint` is
 * the keyed hash of the client secret (audit/secret-fingerprint.ts); the secret itself is never
 * passed in.
 */
export const toClientSettings = (
  client: UserPoolClientType,
  secretFingerprint: string | undefined,
): Settings => {
  const id = client.ClientId ?? '';
  const settings: MutableSettings = {};
  const field = (name: string) => clientField(id, name);
  const set = (name: string, value: unknown) => put(settings, field(name), value);
  putFields(settings, client, CLIENT_FIELDS, field);
  const units = client.TokenValidityUnits;
  for (const [name, value, token] of [
    ['AccessTokenValidity', client.AccessTokenValidity, 'AccessToken'],
    ['IdTokenValidity', client.IdTokenValidity, 'IdToken'],
    ['RefreshTokenValidity', client.RefreshTokenValidity, 'RefreshToken'],
  ] as const) {
    set(
      name,
      value === undefined ? DEFAULT_VALIDITY[token] : `${value} ${units?.[token] ?? DEFAULT_UNITS[token]}`,
    );
  }
  putFields(settings, client, CLIENT_SESSION_FIELDS, field);
  set('RefreshTokenRotation', client.RefreshTokenRotation?.Feature);
  set('RefreshTokenRotation.RetryGracePeriodSeconds', client.RefreshTokenRotation?.RetryGracePeriodSeconds);
  set('HasSecret', secretFingerprint !== undefined);
  set('ClientSecretFingerprint', secretFingerprint);
  return settings;
};

/** The `domain` section fields of one DescribeUserPoolDomain answer; `kind` says which domain it is. */
export const toDomainSettings = (
  kind: 'Domain' | 'CustomDomain',
  domain: DomainDescriptionType,
): Settings => {
  const settings: MutableSettings = {};
  put(settings, `${kind}.Status`, domain.Status);
  if (kind === 'CustomDomain') {
    put(settings, 'CustomDomain.CloudFrontDistribution', domain.CloudFrontDistribution);
    put(settings, 'CustomDomain.CertificateArn', domain.CustomDomainConfig?.CertificateArn);
  }
  put(settings, `${kind}.ManagedLoginVersion`, domain.ManagedLoginVersion);
  return settings;
};

/** The `function:<Trigger>` section: GetFunctionConfiguration's watched settings. */
export const toFunctionSettings = (trigger: TriggerName, configuration: FunctionConfiguration): Settings => {
  const settings: MutableSettings = {};
  putFields(settings, configuration, FUNCTION_FIELDS, (name) => `triggers.${trigger}.${name}`);
  return settings;
};
