// Hosting store on DynamoDB. Invariants that span items are single transactions: the slug claim with
// its app, a deployment with its app's version, the platform-wide claim of a verified domain with its domain.
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Deployment, Domain } from '#connectors/hosting/contract';
import { conflict } from '#connectors/wire';
import { createDynamoTable, key, stored } from '#functions/shared/dynamo-table';
import { APP_PREFIX, appSk, counterSk, deploymentPrefix, domainClaimKey, domainPrefix, slugSk } from './keys.ts';
import { CHANGED_CONCURRENTLY, DOMAIN_ATTACHED, DOMAIN_VERIFIED_ELSEWHERE, SLUG_TAKEN, limitReached, type AppRecord, type CountChange, type HostingStore } from './store.ts';

export function createDynamoHostingStore(db: DynamoDBDocumentClient, tableName: string): HostingStore {
  const { get, list, conditionalWrite, transact } = createDynamoTable(db, tableName, { changedConcurrently: CHANGED_CONCURRENTLY });

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
        Key: key(tenantId, counterSk(what)),
        UpdateExpression: 'ADD #count :delta',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':delta': delta, ...(limited && { ':max': max }) },
        ...(limited && { ConditionExpression: 'attribute_not_exists(#count) OR #count < :max' }),
      },
    };
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
    listApps: (tenantId, page) => list<AppRecord>(tenantId, APP_PREFIX, page, { newestFirst: true }),

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
      if (!(await conditionalWrite(new PutCommand(putApp(tenantId, app, expectedVersion).Put)))) changedConcurrently();
    },

    getDeployment: (tenantId, appId, deploymentId) => get<Deployment>(tenantId, deploymentPrefix(appId) + deploymentId),
    listDeployments: (tenantId, appId, page) => list<Deployment>(tenantId, deploymentPrefix(appId), page, { newestFirst: true }),

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
    listDomains: (tenantId, appId, page) => list<Domain>(tenantId, domainPrefix(appId), page, { newestFirst: false }),

    async addDomain(tenantId, domain, maxDomains) {
      await transact(
        [
          // Only a verified name is claimed platform-wide; a pending one blocks nobody.
          { ConditionCheck: { TableName: tableName, Key: domainClaimKey(domain.domain), ConditionExpression: 'attribute_not_exists(pk)' } },
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
              Key: key(tenantId, appSk(domain.appId)),
              ConditionExpression: 'attribute_exists(pk) AND #status <> :archived',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':archived': 'archived' },
            },
          },
          countUpdate(tenantId, 'domains', { delta: 1, max: maxDomains }),
        ],
        (failed) => {
          if (failed[0]) throw conflict(DOMAIN_VERIFIED_ELSEWHERE, { field: 'domain' });
          if (failed[1]) throw conflict(DOMAIN_ATTACHED, { field: 'domain' });
          throw failed[3] && maxDomains != null ? limitReached('domains', maxDomains) : conflict(CHANGED_CONCURRENTLY);
        },
      );
    },

    async updateDomain(tenantId, domain, expectedStatus, { claim = false } = {}) {
      const put = {
        Put: {
          TableName: tableName,
          Item: stored(tenantId, domainPrefix(domain.appId) + domain.domain, domain),
          ConditionExpression: '#status = :expected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':expected': expectedStatus },
        },
      };
      if (!claim) {
        if (!(await conditionalWrite(new PutCommand(put.Put)))) changedConcurrently();
        return;
      }
      const claimItem = {
        Put: {
          TableName: tableName,
          Item: { ...domainClaimKey(domain.domain), tenantId, appId: domain.appId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
      await transact([put, claimItem], (failed) => {
        throw failed[1] ? conflict(DOMAIN_VERIFIED_ELSEWHERE, { field: 'domain' }) : conflict(CHANGED_CONCURRENTLY);
      });
    },

    async removeDomain(tenantId, domain) {
      const claimed = domain.status === 'verified';
      await transact(
        [
          {
            Delete: {
              TableName: tableName,
              Key: key(tenantId, domainPrefix(domain.appId) + domain.domain),
              // Conditioned on the status read, so a verification landing meanwhile cannot leave its claim behind.
              ConditionExpression: '#status = :expected',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':expected': domain.status },
            },
          },
          ...(claimed
            ? [
                {
                  Delete: {
                    TableName: tableName,
                    Key: domainClaimKey(domain.domain),
                    ConditionExpression: 'tenantId = :tenant AND appId = :app',
                    ExpressionAttributeValues: { ':tenant': tenantId, ':app': domain.appId },
                  },
                },
              ]
            : []),
          countUpdate(tenantId, 'domains', { delta: -1 }),
        ],
        changedConcurrently,
      );
    },
  };
}
