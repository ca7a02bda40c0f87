import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { PlatformService } from './platform-service.ts';

export interface PlatformMonitoringProps {
  readonly api: apigwv2.HttpApi;
  readonly execute: lambda.IFunction;
  /** One per registry entry: each gets the same alarms and dashboard row, so a new service needs nothing here. */
  readonly services: readonly PlatformService[];
  /** Who is paged: an e-mail subscription of the alarm topic (it must be confirmed once). @default - no subscription */
  readonly alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);
/** The table operations the services use (an alarm's math expression takes at most 10 metrics). */
const TABLE_OPERATIONS = [Operation.GET_ITEM, Operation.PUT_ITEM, Operation.UPDATE_ITEM, Operation.DELETE_ITEM, Operation.QUERY, Operation.SCAN, Operation.TRANSACT_WRITE_ITEMS, Operation.BATCH_GET_ITEM];

/**
 * What an operator sees and hears: alarms on the API's 5xx rate, every function's errors and throttles,
 * every table's throttled requests and every failed-events queue that is not empty, all sent to one SNS
 * topic; and one CloudWatch dashboard with a row per service. Built from the registry's services.
 */
export class PlatformMonitoring extends Construct {
  public readonly topic: sns.Topic;
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The API's 5xx-rate alarm: a canary release rolls back when it fires. */
  public readonly apiErrorRate: cloudwatch.Alarm;
  /** Each function's own alarms (errors, throttles), by function name (`execute` or a service's). */
  public readonly functionAlarms = new Map<string, cloudwatch.Alarm[]>();
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PlatformMonitoringProps) {
    super(scope, id);
    // CloudWatch can publish to an encrypted topic only with a customer key that lets it.
    const key = new kms.Key(this, 'AlarmTopicKey', { enableKeyRotation: true, description: 'mozaiks alarm topic' });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'mozaiks platform alarms', masterKey: key, enforceSSL: true });
    if (props.alarmEmail) {
      const email = this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
      Validations.of(email).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason: 'An alarm e-mail that cannot be delivered needs no replay: the alarm stays in ALARM on the dashboard and in CloudWatch until it recovers.',
      });
    }
    const notify = new actions.SnsAction(this.topic);

    const alarm = (name: string, metric: cloudwatch.IMetric, threshold: number, description: string): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, name, {
        metric,
        alarmDescription: description,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      this.alarms.push(created);
      return created;
    };

    // The API: more than 1% of requests answered 5xx over 5 minutes (and at least 5 of them).
    const requests = props.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' });
    const serverErrors = props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    const errorRate = new cloudwatch.MathExpression({
      expression: 'IF(errors >= 5, 100 * errors / requests, 0)',
      usingMetrics: { errors: serverErrors, requests },
      label: 'API 5xx %',
      period: FIVE_MINUTES,
    });
    this.apiErrorRate = alarm('Api5xxRate', errorRate, 1, 'More than 1% of API requests answered 5xx in 5 minutes');

    const functions: Array<[string, lambda.IFunction]> = [['execute', props.execute], ...props.services.map((s): [string, lambda.IFunction] => [s.name, s.fn])];
    for (const [name, fn] of functions) {
      this.functionAlarms.set(name, [
        alarm(`${name}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `The ${name} function failed (errors or timeouts)`),
        alarm(`${name}Throttles`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `The ${name} function was throttled (concurrency limit)`),
      ]);
    }
    for (const service of props.services) {
      alarm(
        `${service.name}TableThrottles`,
        service.table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: FIVE_MINUTES, statistic: 'Sum' }),
        1,
        `The ${service.name} table throttled requests`,
      );
      if (service.failedEvents) {
        alarm(
          `${service.name}FailedEvents`,
          service.failedEvents.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
          1,
          `Asynchronous invokes of ${service.name} failed and wait in its failed-events queue (replay: README)`,
        );
      }
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `${Stack.of(this).stackName}-platform` });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'API requests and 5xx', left: [requests, serverErrors], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'API latency p50 / p99', left: [props.api.metricLatency({ statistic: 'p50' }), props.api.metricLatency({ statistic: 'p99' })], width: 12 }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
    for (const [name, fn] of functions) {
      const service = props.services.find((s) => s.name === name);
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({ title: `${name}: invocations, errors, throttles`, left: [fn.metricInvocations(), fn.metricErrors(), fn.metricThrottles()], width: 8 }),
        new cloudwatch.GraphWidget({ title: `${name}: duration p50 / p99`, left: [fn.metricDuration({ statistic: 'p50' }), fn.metricDuration({ statistic: 'p99' })], width: 8 }),
        new cloudwatch.GraphWidget({
          title: service ? `${name}: table throttles` : `${name}: concurrent executions`,
          left: [service ? service.table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS }) : fn.metric('ConcurrentExecutions', { statistic: 'Maximum' })],
          width: 8,
        }),
      );
    }
  }
}
