// Goal 6 of `npm run bench`: the cost of a million actions on AWS, from the stack's settings, what the
// local platform measures of each action (DynamoDB requests, handler durations, log bytes) and public
// list prices. What cannot be measured here (the Lambda Invoke round trip in a region) is an
// assumption named below.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CONTEXT_SETTINGS } from '#lib/app-context';
import { API_ACCESS_LOG_FIELDS } from '#lib/api-access-log';
import { createActionMetrics } from '#functions/execute/action-metrics';

/** us-east-1 list prices (checked 2026-11). */
export const PRICES = {
  httpApiPerMillion: 1.0,
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoDbPerMillionReadUnits: 0.125,
  dynamoDbPerMillionWriteUnits: 0.625,
  logsStandardPerGb: 0.5,
  logsInfrequentAccessPerGb: 0.25,
  /** Per trace recorded; Lambda active tracing records 1 request a second and 5% of the rest. */
  xrayPerMillionTraces: 5.0,
  xraySampledShare: 0.05,
} as const;
/** Not measurable here: a synchronous Lambda Invoke's round trip inside a region, added to the execute function's time. */
export const ASSUMED_INVOKE_ROUND_TRIP_MS = 10;
/** CloudWatch Logs meters each event's bytes plus 26. */
const LOG_EVENT_OVERHEAD = 26;

export interface DynamoDbUnits {
  readUnits: number;
  writeUnits: number;
  calls: Record<string, number>;
  /** Calls whose units depend on their answers (Query, Scan, BatchGet): not counted. */
  uncounted: number;
}

/**
 * Counts the DynamoDB requests this process sends and the capacity units they cost: a read of an item
 * up to 4 KB is 1 unit consistent or 0.5 eventually consistent, a write up to 1 KB is 1 unit, each item
 * of a transaction counts twice. Item sizes are taken as under those limits (the platform's items are).
 * It wraps `send` of the SDK's client base class, which the document client shares, for the duration.
 */
export function watchDynamoDb(): { stop(): DynamoDbUnits } {
  const units: DynamoDbUnits = { readUnits: 0, writeUnits: 0, calls: {}, uncounted: 0 };
  const count = (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    // GetItemCommand (client-dynamodb) and GetCommand (lib-dynamodb) alike.
    const op = command.constructor.name.replace(/(Item)?Command$/, '');
    const input = command.input;
    units.calls[op] = (units.calls[op] ?? 0) + 1;
    if (op === 'Get') units.readUnits += input.ConsistentRead ? 1 : 0.5;
    else if (op === 'Put' || op === 'Update' || op === 'Delete') units.writeUnits += 1;
    else if (op === 'TransactWrite') units.writeUnits += 2 * (input.TransactItems as unknown[]).length;
    else if (op === 'TransactGet') units.readUnits += 2 * (input.TransactItems as unknown[]).length;
    else if (op === 'BatchWrite') units.writeUnits += Object.values(input.RequestItems as Record<string, unknown[]>).flat().length;
    else units.uncounted += 1;
  };
  const base = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: (this: { config: { serviceId?: string } }, ...args: unknown[]) => unknown };
  const send = base.send;
  base.send = function (this: { config: { serviceId?: string } }, ...args: unknown[]) {
    if (this.config.serviceId === 'DynamoDB') count(args[0] as never);
    return send.apply(this, args);
  };
  return {
    stop() {
      base.send = send;
      return units;
    },
  };
}

/** Bytes of one action's EMF metrics line, as the execute function writes it (namespace as on AWS). */
export function emfLineBytes(): number {
  const lines: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    createActionMetrics('Mozaiks/MozaiksPlatform').record({
      plugin: 'moz.platform.hosting',
      action: 'get_app',
      tenantId: 'tenant-0123456789ab',
      correlationId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      outcome: 'ok',
      latencyMs: 12,
    });
  } finally {
    process.stdout.write = write;
  }
  return Buffer.byteLength(lines.join('').trim());
}

/** Bytes of one API access log line with typical values in the stack's format. */
export function accessLogLineBytes(): number {
  const typical: Record<string, string> = {
    '$context.requestId': 'dGx3xgQaIAMEbZw=',
    '$context.identity.sourceIp': '203.0.113.10',
    '$context.requestTime': '27/Nov/2026:04:05:06 +0000',
    '$context.routeKey': 'POST /api/execute/{plugin}',
    '$context.status': '200',
    '$context.responseLatency': '18',
    '$context.responseLength': '310',
    '$context.integrationErrorMessage': '-',
  };
  return Buffer.byteLength(JSON.stringify(Object.fromEntries(Object.entries(API_ACCESS_LOG_FIELDS).map(([field, variable]) => [field, typical[variable]]))));
}

export interface ActionMeasure {
  name: string;
  /** Per action, from `watchDynamoDb` over many calls. */
  readUnits: number;
  writeUnits: number;
  /** The execute function's time for the action, measured locally (p50; it waits for the service, so that time is in it), without the Invoke round trip. */
  executeMs: number;
  /** The service function's time (p50), DynamoDB included. */
  serviceMs: number;
}

/** Dollars per million actions, item by item, at the stack's default settings. */
export function costPerMillion(action: ActionMeasure, logBytes: { standard: number; infrequentAccess: number }, xray = true) {
  const memoryGb = CONTEXT_SETTINGS.memoryMb.fallback / 1024;
  // Billed per function in whole milliseconds; the execute function waits for the service's Invoke.
  const executeBilledMs = Math.ceil(action.executeMs + ASSUMED_INVOKE_ROUND_TRIP_MS);
  const serviceBilledMs = Math.ceil(action.serviceMs);
  const gbSeconds = (memoryGb * (executeBilledMs + serviceBilledMs)) / 1000;
  const items = {
    'API Gateway (HTTP API)': PRICES.httpApiPerMillion,
    'Lambda requests (execute + service)': 2 * PRICES.lambdaPerMillionRequests,
    [`Lambda compute (${CONTEXT_SETTINGS.memoryMb.fallback} MB x ${executeBilledMs} + ${serviceBilledMs} ms)`]: gbSeconds * 1e6 * PRICES.lambdaArmPerGbSecond,
    [`DynamoDB (${action.readUnits.toFixed(2)} RRU, ${action.writeUnits.toFixed(2)} WRU)`]:
      action.readUnits * PRICES.dynamoDbPerMillionReadUnits + action.writeUnits * PRICES.dynamoDbPerMillionWriteUnits,
    [`CloudWatch Logs (${logBytes.standard} B standard, ${logBytes.infrequentAccess} B IA)`]:
      ((logBytes.standard + LOG_EVENT_OVERHEAD) * PRICES.logsStandardPerGb + (logBytes.infrequentAccess + LOG_EVENT_OVERHEAD) * PRICES.logsInfrequentAccessPerGb) / 1e3,
    'X-Ray (5% sampled)': xray ? PRICES.xraySampledShare * PRICES.xrayPerMillionTraces : 0,
  };
  const total = Object.values(items).reduce((sum, dollars) => sum + dollars, 0);
  return { items, total };
}
