// The fields of the API's access log line (one per request; API Gateway fills in each `$context`
// variable). Kept apart from the stack so `npm run bench` can count the bytes a line costs.
export const API_ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  time: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  responseLength: '$context.responseLength',
  integrationError: '$context.integrationErrorMessage',
} as const;
