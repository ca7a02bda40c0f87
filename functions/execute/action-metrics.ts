// One CloudWatch metric set per plugin action, as Embedded Metric Format log lines (Powertools Metrics):
// dimensions `service` (execute), `plugin` and `action`, so a dashboard or alarm can pick one action;
// the tenant, outcome and correlation id are properties of the line, searchable in Logs Insights but
// never dimensions (a dimension per tenant would be a metric per tenant: cost without bound).
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

export function createActionMetrics(namespace = 'Mozaiks'): ActionMetrics {
  const metrics = new Metrics({ namespace, serviceName: 'execute' });
  return {
    record({ plugin, action, tenantId, correlationId, outcome, latencyMs }) {
      metrics.addDimensions({ plugin, action });
      metrics.addMetadata('tenantId', tenantId);
      metrics.addMetadata('outcome', outcome);
      metrics.addMetadata('correlationId', correlationId);
      metrics.addMetric('Actions', MetricUnit.Count, 1);
      metrics.addMetric('ActionServerErrors', MetricUnit.Count, SERVER_SIDE.has(outcome) ? 1 : 0);
      metrics.addMetric('ActionClientErrors', MetricUnit.Count, outcome !== 'ok' && !SERVER_SIDE.has(outcome) ? 1 : 0);
      metrics.addMetric('ActionLatency', MetricUnit.Milliseconds, latencyMs);
      // One line per action: Lambda runs one request per container at a time.
      metrics.publishStoredMetrics();
    },
  };
}
