import type { Context } from 'aws-lambda';
import type { AlertHandler, CheckReport } from '../../alerts/types';
import {
  type LogGroupInfo,
  type TriggerLogsConfig,
  toResolveLogGroup,
} from '../../config/trigger-logs-config';
import { DEFAULT_DETECTOR_CONFIG } from '../../detectors/types';

/** The pool of the trigger-logs handler tests. */
export const SHOP_POOL = 'us-east-1_Sh0pP00l';
/** The log group of its PreSignUp trigger. */
export const PRESIGNUP_LOG_GROUP = '/aws/lambda/shop-presignup';

/** The one log group the handler tests subscribe: PreSignUp of SHOP_POOL in us-east-1. */
export const presignupLogGroups: Record<string, LogGroupInfo> = {
  [PRESIGNUP_LOG_GROUP]: { trigger: 'PreSignUp', userPoolId: SHOP_POOL, region: 'us-east-1' },
};

/** The handler's config over `logGroups`, with the default detector thresholds. */
export const triggerLogsConfig = (
  logGroups: Record<string, LogGroupInfo> = presignupLogGroups,
): TriggerLogsConfig => ({
  logGroups,
  resolveLogGroup: toResolveLogGroup(logGroups),
  detectors: { ...DEFAULT_DETECTOR_CONFIG },
});

/** The Lambda context of a trigger-logs invocation (only its name and request id are read). */
export const triggerLogsContext = (awsRequestId = 'test'): Context =>
  ({ functionName: 'cognito-sentinel-trigger-logs', awsRequestId }) as Context;

/**
 * An alert handler in place of the pipeline that keeps the check reports it is handed; it answers
 * `alertsOf(report)` alerts raised, none delivered or failed.
 */
export const recordingAlertHandler = (
  alertsOf: (report: CheckReport) => number = (report) => report.findings.length,
): { reports: CheckReport[]; handler: AlertHandler } => {
  const reports: CheckReport[] = [];
  const handler: AlertHandler = {
    handle: async (report) => {
      reports.push(report);
      return { alerts: alertsOf(report), delivered: [], failed: [] };
    },
  };
  return { reports, handler };
};
