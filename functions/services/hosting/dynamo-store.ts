// Hosting store on DynamoDB. Invariants that span items are single transactions: the slug claim with
// its app, a deployment with its app's version, the platform-wide domain claim with the domain.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Deployment, Domain } from '#connectors/hosting/contract';
import { conflict } from '#connectors/wire';
import {
  APP_PREFIX,
  appSk,
  counterSk,
  decodeCursor,
  deploymentPrefix,
  domainClaimKey,
  domainPrefix,
  encodeCursor,
  slugSk,
  tenantPk,
} from './keys.ts';
import {
  CHANGED_CONCURRENTLY,
  DOMAIN_TAKEN,
  SLUG_TAKEN,
  limitReached,
  type AppRecord,
  type CountChange,
  type HostingStore,
  type Page,
  type PageRequest,
} from './store.ts';

type Stored<T> = T & { pk: string; sk: string };
const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};
const stored = <T extends object>(tenantId: string, sk: string, item: T): Stored<T> => ({ pk: tenantPk(tenantId), sk, ...item });

/** Which transaction items failed their condition (in request order). */
function failedConditions(error: unknown): boolean[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code === 'ConditionalCheckFailed');
}

export function createDynamoHostingStore(db: DynamoDBDocumentClient, tableName: string): HostingStore {
  const get = async <T>(tenantId: string, sk: string) =>
    strip<T>((await db.send(new GetCommand({ TableName: tableName, Key: { pk: tenantPk(tenantId), sk }, ConsistentRead: true }))).Item);

  async function list<T>(tenantId: string, prefix: string, { limit, cursor }: PageRequest, newestFirst: boolean): Promise<Page<T>> {
    const after = decodeCursor(cursor, prefix);
    const result = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': tenantPk(tenantId), ':prefix': prefix },
        ScanIndexForward: !newestFirst,
        Limit: limit,
        ...(after && { ExclusiveStartKey: { pk: tenantPk(tenantId), sk: after } }),
      }),
    );
    const last = result.LastEvaluatedKey?.sk as string | undefined;
    return { items: (result.Items ?? []).map((item) => strip<T>(item)!), ...(last && { nextCursor: encodeCursor(last) }) };
  }

  const putApp = (tenantId: string, app: AppRecord, expectedVersion: number) => ({
    Put: {
      TableName: tableName,
      Item: stored(tenantId, appSk(app.appId), app),
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': expectedVersion },
    },
  });

  /** The counter update of a count change; increments are conditioned on staying under the limit. */
  function countUpdate(tenantId: string, what: 'apps' | 'domains', { delta, max }: CountChange) {
    const limited = delta > 0 && max != null;
    if (limited && max <= 0) throw limitReached(what, max);
    return {
      Update: {
        TableName: tableName,
        Key: { pk: tenantPk(tenantId), sk: counterSk(what) },
        UpdateExpression: 'ADD #count :delta',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':delta': delta, ...(limited && { ':max': max }) },
        ...(limited && { ConditionExpression: 'attribute_not_exists(#count) OR #count < :max' }),
      },
    };
  }

  async function transact(items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>, onFailed: (failed: boolean[]) => never) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.some(Boolean)) onFailed(failed);
      // Another transaction held one of the items: a lost race like any other.
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'TransactionConflict')) changedConcurrently();
      throw error;
    }
  }
  const changedConcurrently = (): never => {
    throw conflict(CHANGED_CONCURRENTLY);
  };

  return {
    getApp: (tenantId, appId) => get<AppRecord>(tenantId, appSk(appId)),
    async getCounts(tenantId) {
      const [apps, domains] = await Promise.all([
        get<{ count?: number }>(tenantId, counterSk('apps')),
        get<{ count?: number }>(tenantId, counterSk('domains')),
      ]);
      return { apps: apps?.count ?? 0, domains: domains?.count ?? 0 };
    },
    listApps: (tenantId, page) => list<AppRecord>(tenantId, APP_PREFIX, page, true),

    async createApp(tenantId, app, maxApps) {
      await transact(
        [
          {
            Put: {
              TableName: tableName,
              Item: stored(tenantId, slugSk(app.slug), { appId: app.appId }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: tableName, Item: stored(tenantId, appSk(app.appId), app), ConditionExpression: 'attribute_not_exists(pk)' } },
          countUpdate(tenantId, 'apps', { delta: 1, max: maxApps }),
        ],
        (failed) => {
          if (failed[0]) throw conflict(SLUG_TAKEN, { field: 'slug' });
          throw failed[2] && maxApps != null ? limitReached('apps', maxApps) : conflict(CHANGED_CONCURRENTLY);
        },
      );
    },

    async updateApp(tenantId, app, expectedVersion, counted) {
      if (counted) {
        return transact([putApp(tenantId, app, expectedVersion), countUpdate(tenantId, 'apps', counted)], (failed) => {
          throw failed[1] && counted.max != null ? limitReached('apps', counted.max) : conflict(CHANGED_CONCURRENTLY);
        });
      }
      try {
        await db.send(new PutCommand(putApp(tenantId, app, expectedVersion).Put));
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) changedConcurrently();
        throw error;
      }
    },

    getDeployment: (tenantId, appId, deploymentId) => get<Deployment>(tenantId, deploymentPrefix(appId) + deploymentId),
    listDeployments: (tenantId, appId, page) => list<Deployment>(tenantId, deploymentPrefix(appId), page, true),

    async createDeployment(tenantId, deployment, app, expectedAppVersion) {
      await transact(
        [
          {
            Put: {
              TableName: tableName,
              Item: stored(tenantId, deploymentPrefix(app.appId) + deployment.deploymentId, deployment),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          putApp(tenantId, app, expectedAppVersion),
        ],
        changedConcurrently,
      );
    },

    async updateDeployment(tenantId, deployment, expectedStatus, { record, expectedVersion }) {
      await transact(
        [
          {
            Put: {
              TableName: tableName,
              Item: stored(tenantId, deploymentPrefix(deployment.appId) + deployment.deploymentId, deployment),
              ConditionExpression: '#status = :expected',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':expected': expectedStatus },
            },
          },
          putApp(tenantId, record, expectedVersion),
        ],
        changedConcurrently,
      );
    },

    getDomain: (tenantId, appId, domain) => get<Domain>(tenantId, domainPrefix(appId) + domain),
    listDomains: (tenantId, appId, page) => list<Domain>(tenantId, domainPrefix(appId), page, false),

    async addDomain(tenantId, domain, maxDomains) {
      await transact(
        [
          {
            Put: {
              TableName: tableName,
              Item: { ...domainClaimKey(domain.domain), tenantId, appId: domain.appId },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: stored(tenantId, domainPrefix(domain.appId) + domain.domain, domain),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            ConditionCheck: {
              TableName: tableName,
              Key: { pk: tenantPk(tenantId), sk: appSk(domain.appId) },
              ConditionExpression: 'attribute_exists(pk) AND #status <> :archived',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':archived': 'archived' },
            },
          },
          countUpdate(tenantId, 'domains', { delta: 1, max: maxDomains }),
        ],
        (failed) => {
          if (failed[0]) throw conflict(DOMAIN_TAKEN, { field: 'domain' });
          throw failed[3] && maxDomains != null ? limitReached('domains', maxDomains) : conflict(CHANGED_CONCURRENTLY);
        },
      );
    },

    async updateDomain(tenantId, domain, expectedStatus) {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: stored(tenantId, domainPrefix(domain.appId) + domain.domain, domain),
            ConditionExpression: '#status = :expected',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':expected': expectedStatus },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) changedConcurrently();
        throw error;
      }
    },

    async removeDomain(tenantId, appId, domain) {
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: tableName,
                  Key: { pk: tenantPk(tenantId), sk: domainPrefix(appId) + domain },
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              {
                Delete: {
                  TableName: tableName,
                  Key: domainClaimKey(domain),
                  ConditionExpression: 'tenantId = :tenant AND appId = :app',
                  ExpressionAttributeValues: { ':tenant': tenantId, ':app': appId },
                },
              },
              countUpdate(tenantId, 'domains', { delta: -1 }),
            ],
          }),
        );
        return true;
      } catch (error) {
        if (failedConditions(error)?.some(Boolean)) return false;
        throw error;
      }
    },
  };
}
