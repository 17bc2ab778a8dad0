// Resolves the trigger-log function's CloudWatch Logs subscriptions from SENTINEL_LOG_GROUPS, the
// same JSON map (log group -> { trigger, userPoolId?, region? }) the function reads at run time.
// osls calls this while it resolves serverless.yml: `${file(./deploy/trigger-log-events.cjs)}`.
module.exports = () => {
  const text = process.env.SENTINEL_LOG_GROUPS;
  if (!text || text.trim() === '') return [];
  let map;
  try {
    map = JSON.parse(text);
  } catch (error) {
    throw new Error(`SENTINEL_LOG_GROUPS is not valid JSON: ${error.message}`);
  }
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    throw new Error('SENTINEL_LOG_GROUPS must be a JSON object of log group name -> { trigger, userPoolId?, region? }');
  }
  return Object.keys(map).map((logGroup) => ({ cloudwatchLog: { logGroup, filter: '' } }));
};
