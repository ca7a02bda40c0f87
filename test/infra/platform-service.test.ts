import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import type { ServiceEntry } from '#lib/catalogue';
import { PlatformService } from '#lib/platform-service';

// A catalogue entry with an index, which the real catalogue does not have (yet).
const probe: ServiceEntry = {
  name: 'probe',
  entry: 'functions/services/hosting/handler.ts',
  tableEnv: 'PROBE_TABLE',
  indexes: [
    { name: 'byOwner', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'byStatus', partitionKey: 'gsi2pk' },
  ],
};

const build = (props: Partial<ConstructorParameters<typeof PlatformService>[2]> = {}) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'ServiceTest');
  const service = new PlatformService(stack, 'Probe', { entry: probe, ...props });
  return { stack, service, template: Template.fromStack(stack) };
};

// Built once, outside the tests: a synth costs about a second, which must not eat test timeouts.
const retained = build();
const destroyed = build({ removalPolicy: RemovalPolicy.DESTROY });

describe('PlatformService', () => {
  it('creates one all-projection string-keyed GSI per catalogue index', () => {
    retained.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byOwner',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'byStatus',
          KeySchema: [{ AttributeName: 'gsi2pk', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi2pk', AttributeType: 'S' },
      ]),
    });
  });

  it('acknowledges only the index wildcard of its own table for cdk-nag', () => {
    const report = new AwsSolutionsChecks().validateScope(retained.stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('drops deletion protection and retention when asked to DESTROY', () => {
    destroyed.template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: { Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] },
    });
  });
});
