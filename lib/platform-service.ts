import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ServiceEntry, StackValues } from '#connectors/contracts/registry';
import { serviceEntry } from './entries.ts';
import { HouseFunction } from './house-function.ts';
import { wildcardResource } from './nag.ts';

/**
 * A service function's timeout. The execute function waits for it up to its service deadline
 * (platform-stack.ts), which is longer, so a service that times out still answers the caller
 * through the envelope (UPSTREAM_UNAVAILABLE) instead of leaving it to API Gateway.
 */
export const SERVICE_TIMEOUT = Duration.seconds(8);

export interface PlatformServiceProps {
  /** The service's registry name: its handler is `functions/services/<name>/handler.ts` (unless `handler` says otherwise). */
  readonly name: string;
  /** The service's registry entry (connectors/contracts/registry.ts). */
  readonly entry: Omit<ServiceEntry, 'contract'>;
  /** What the entry's settings may be made of. */
  readonly stackValues: StackValues;
  /** @default serviceEntry(name) */
  readonly handler?: string;
  /**
   * What happens to the table (and its data) when the service leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Refuse DeleteTable calls, whoever makes them.
   * @default true unless `removalPolicy` is DESTROY
   */
  readonly deletionProtection?: boolean;
  /**
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /** @default 512 */
  readonly memoryMb?: number;
  /** Powertools Tracer around the SDK clients (see HouseFunction). @default false */
  readonly sdkTracing?: boolean;
  /** X-Ray active tracing (see HouseFunction). @default true */
  readonly xrayTracing?: boolean;
  /**
   * @default SERVICE_TIMEOUT
   */
  readonly timeout?: Duration;
}

/**
 * A platform service, built from its registry entry: its Lambda, its own DynamoDB table, a grant on
 * that table only, and, if the entry asks for one, a queue for its asynchronous invokes that fail.
 * The execute Lambda reaches it through Lambda Invoke (see PlatformStack).
 */
export class PlatformService extends Construct {
  /** The registry name (`hosting`, ...). */
  public readonly name: string;
  public readonly fn: HouseFunction;
  public readonly table: dynamodb.TableV2;
  /** Its asynchronous invokes that failed, with their requests, waiting for an operator to replay them. */
  public readonly failedEvents?: sqs.Queue;

  constructor(scope: Construct, id: string, props: PlatformServiceProps) {
    super(scope, id);
    const { entry, name } = props;
    this.name = name;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const str = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

    // Keys are `pk = "T#<tenantId>"` / `sk`, so one table per service holds every tenant.
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: str('pk'),
      sortKey: str('sk'),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      removalPolicy,
      deletionProtection: props.deletionProtection ?? removalPolicy !== RemovalPolicy.DESTROY,
      globalSecondaryIndexes: entry.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: str(index.partitionKey),
        sortKey: index.sortKey === undefined ? undefined : str(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      })),
    });

    this.fn = new HouseFunction(this, 'Function', {
      entry: props.handler ?? serviceEntry(name),
      serviceName: name,
      description: `mozaiks ${name} service`,
      logRetention: props.logRetention,
      memorySize: props.memoryMb,
      sdkTracing: props.sdkTracing,
      xrayTracing: props.xrayTracing,
      timeout: props.timeout ?? SERVICE_TIMEOUT,
      environment: { TABLE_NAME: this.table.tableName, ...entry.settings?.(props.stackValues) },
    });
    this.table.grantReadWriteData(this.fn);
    if (entry.asyncInvokes) {
      const { retryAttempts, failureQueue } = entry.asyncInvokes;
      if (failureQueue) {
        this.failedEvents = new sqs.Queue(this, 'FailedEvents', {
          encryption: sqs.QueueEncryption.SQS_MANAGED,
          enforceSSL: true,
          retentionPeriod: Duration.days(14),
        });
        const endOfLine = 'This queue is itself the failure destination of the service’s asynchronous invokes; an operator drains it by hand (README, "Failed metering events").';
        Validations.of(this.failedEvents).acknowledge({ id: 'AwsSolutions-SQS3', reason: endOfLine }, { id: 'Serverless-SQSRedrivePolicy', reason: endOfLine });
        const outputId = `${name[0]!.toUpperCase()}${name.slice(1)}FailedEventsQueueUrl`;
        new CfnOutput(Stack.of(this), outputId, { value: this.failedEvents.queueUrl });
      }
      // On the alias: that is what the execute function invokes (a qualifier has its own async settings).
      this.fn.live.configureAsyncInvoke({ retryAttempts, ...(this.failedEvents && { onFailure: new lambdaDestinations.SqsDestination(this.failedEvents) }) });
    }
    if (entry.indexes.length > 0) {
      Validations.of(this.fn.executionRole).acknowledge({
        id: wildcardResource(this, `${this.table.tableArn}/index/*`),
        reason: 'Queries may use any index of the service’s own table, and nothing else.',
      });
    }
  }
}
