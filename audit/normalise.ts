/**
 * From Cognito's and Lambda's answers to the snapshot's sections: only the watched settings,
 * named as the API names them, sets sorted (order is never a change), validities with their unit
 * (`60 minutes`), and a client secret replaced by its keyed fingerprint. Pure.
 */
import type {
  DomainDescriptionType,
  LambdaConfigType,
  UserPoolClientType,
  UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { TRIGGERS, type TriggerName } from '../contracts/triggers';
import { clientField, type Settings, type SettingValue } from '../detectors/config-observations';

type MutableSettings = Record<string, SettingValue>;

const put = (settings: MutableSettings, field: string, value: unknown): void => {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) settings[field] = [...new Set(value.map(String))].sort();
  else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    settings[field] = value;
};

/** A trigger's function ARN in LambdaConfig, whichever shape the trigger uses. */
export const triggerArnOf = (
  config: LambdaConfigType | undefined,
  trigger: TriggerName,
): string | undefined => {
  if (config === undefined) return undefined;
  switch (trigger) {
    case 'PreTokenGeneration':
      return config.PreTokenGenerationConfig?.LambdaArn ?? config.PreTokenGeneration;
    case 'CustomSMSSender':
      return config.CustomSMSSender?.LambdaArn;
    case 'CustomEmailSender':
      return config.CustomEmailSender?.LambdaArn;
    case 'InboundFederation':
      return config.InboundFederation?.LambdaArn;
    default:
      return config[trigger];
  }
};

/** Every wired trigger and its function ARN, in LambdaConfig order. */
export const listWiredTriggers = (
  config: LambdaConfigType | undefined,
): { trigger: TriggerName; arn: string }[] =>
  TRIGGERS.flatMap((trigger) => {
    const arn = triggerArnOf(config, trigger);
    return arn === undefined || arn === '' ? [] : [{ trigger, arn }];
  });

/** The `pool` section: DescribeUserPool's watched settings. */
export const toPoolSettings = (pool: UserPoolType): Settings => {
  const settings: MutableSettings = {};
  put(settings, 'Name', pool.Name);
  put(settings, 'DeletionProtection', pool.DeletionProtection);
  put(settings, 'MfaConfiguration', pool.MfaConfiguration);
  put(settings, 'Domain', pool.Domain);
  put(settings, 'CustomDomain', pool.CustomDomain);
  put(settings, 'UserPoolTier', pool.UserPoolTier);
  put(settings, 'UsernameAttributes', pool.UsernameAttributes);
  put(settings, 'AliasAttributes', pool.AliasAttributes);
  put(settings, 'AutoVerifiedAttributes', pool.AutoVerifiedAttributes);
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
  const set = (name: string, value: unknown) => put(settings, clientField(id, name), value);
  set('ClientName', client.ClientName);
  set('CallbackURLs', client.CallbackURLs);
  set('LogoutURLs', client.LogoutURLs);
  set('DefaultRedirectURI', client.DefaultRedirectURI);
  set('ExplicitAuthFlows', client.ExplicitAuthFlows);
  set('AllowedOAuthFlows', client.AllowedOAuthFlows);
  set('AllowedOAuthScopes', client.AllowedOAuthScopes);
  set('AllowedOAuthFlowsUserPoolClient', client.AllowedOAuthFlowsUserPoolClient);
  set('SupportedIdentityProviders', client.SupportedIdentityProviders);
  set('ReadAttributes', client.ReadAttributes);
  set('WriteAttributes', client.WriteAttributes);
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
  set('AuthSessionValidity', client.AuthSessionValidity);
  set('PreventUserExistenceErrors', client.PreventUserExistenceErrors);
  set('EnableTokenRevocation', client.EnableTokenRevocation);
  set('EnablePropagateAdditionalUserContextData', client.EnablePropagateAdditionalUserContextData);
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
  const set = (name: string, value: unknown) => put(settings, `triggers.${trigger}.${name}`, value);
  set('FunctionName', configuration.FunctionName);
  set('Runtime', configuration.Runtime);
  set('Timeout', configuration.Timeout);
  set('CodeSha256', configuration.CodeSha256);
  set('LastModified', configuration.LastModified);
  set('Version', configuration.Version);
  return settings;
};
