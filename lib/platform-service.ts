import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ServiceEntry } from './catalogue.ts';
import { HouseFunction } from './house-function.ts';
import { wildcardResource } from './nag.ts';

export interface PlatformServiceProps {
  /** The service's line in the catalogue (lib/catalogue.ts). */
  readonly entry: ServiceEntry;
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
}

/**
 * A platform service: its Lambda, its own DynamoDB table, and a grant on that table only.
 * The execute Lambda reaches it through Lambda Invoke (see PlatformStack).
 */
export class PlatformService extends Construct {
  /** The catalogue name (`hosting`, ...). */
  public readonly name: string;
  public readonly fn: HouseFunction;
  public readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: PlatformServiceProps) {
    super(scope, id);
    const { entry } = props;
    this.name = entry.name;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const str = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

    // Keys are `pk = "T#<tenantId>#..."` / `sk`, so one table per service holds every tenant.
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
      entry: entry.entry,
      serviceName: entry.name,
      description: `mozaiks ${entry.name} service`,
      logRetention: props.logRetention,
      environment: { [entry.tableEnv]: this.table.tableName },
    });
    this.table.grantReadWriteData(this.fn);
    if (entry.indexes.length > 0) {
      Validations.of(this.fn.executionRole).acknowledge({
        id: wildcardResource(this, `${this.table.tableArn}/index/*`),
        reason: 'Queries may use any index of the service’s own table, and nothing else.',
      });
    }
  }
}
