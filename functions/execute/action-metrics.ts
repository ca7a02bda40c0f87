// One CloudWatch metric per plugin action and result, as an Embedded Metric Format log line (Powertools
// Metrics): `ActionLatency` with dimensions `service` (execute), `plugin`, `action` and `result` (ok,
// client_error, server_error). Its SampleCount is the number of calls, so counts and error rates need no
// metrics of their own, and the latency of successful calls is not mixed with that of refusals. The
// tenant, outcome and correlation id are properties of the line, searchable in Logs Insights but never
// dimensions (a dimension per tenant would be a metric per tenant: cost without bound). One short line
// per action, since log bytes are a cost per action (README, "Performance").
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export interface ActionOutcome {
  plugin: string;
  action: string;
  tenantId: string;
  correlationId: string;
  /** `ok`, or the error code the caller got. */
  outcome: string;
  latencyMs: number;
}

export interface ActionMetrics {
  record(outcome: ActionOutcome): void;
}

/** Codes that are the platform's fault (an alarm matter), as opposed to the caller's. */
const SERVER_SIDE = new Set(['INTERNAL', 'UPSTREAM_UNAVAILABLE']);
export const resultOf = (outcome: string): 'ok' | 'client_error' | 'server_error' =>
  outcome === 'ok' ? 'ok' : SERVER_SIDE.has(outcome) ? 'server_error' : 'client_error';

export function createActionMetrics(namespace = 'Mozaiks'): ActionMetrics {
  const metrics = new Metrics({ namespace, serviceName: 'execute' });
  return {
    record({ plugin, action, tenantId, correlationId, outcome, latencyMs }) {
      metrics.addDimensions({ plugin, action, result: resultOf(outcome) });
      metrics.addMetadata('tenantId', tenantId);
      metrics.addMetadata('outcome', outcome);
      metrics.addMetadata('correlationId', correlationId);
      metrics.addMetric('ActionLatency', MetricUnit.Milliseconds, latencyMs);
      // One line per action: Lambda runs one request per container at a time.
      metrics.publishStoredMetrics();
    },
  };
}
