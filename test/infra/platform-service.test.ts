import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { PlatformService, type PlatformServiceProps } from '#lib/platform-service';

// A registry entry with indexes, settings and a failure queue, which no real entry has all of (yet).
const probe: PlatformServiceProps = {
  name: 'probe',
  handler: 'functions/services/hosting/handler.ts',
  entry: {
    indexes: [
      { name: 'byOwner', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      { name: 'byStatus', partitionKey: 'gsi2pk' },
    ],
    asyncInvokes: { retryAttempts: 0, failureQueue: true },
    settings: ({ siteUrl }) => ({ PROBE_URL: `${siteUrl}/probe` }),
  },
  stackValues: { paymentProvider: 'none', siteUrl: 'https://site.example.com' },
};

const build = (props: Partial<PlatformServiceProps> = {}) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'ServiceTest');
  const service = new PlatformService(stack, 'Probe', { ...probe, ...props });
  return { stack, service, template: Template.fromStack(stack) };
};

// Built once, outside the tests: a synth costs about a second, which must not eat test timeouts.
const retained = build();
const destroyed = build({ removalPolicy: RemovalPolicy.DESTROY });

describe('PlatformService', () => {
  it('gives its function its table and the settings its entry makes from the stack, and queues failed async invokes', () => {
    retained.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TABLE_NAME: { Ref: Match.anyValue() }, PROBE_URL: 'https://site.example.com/probe' }) },
    });
    retained.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('FailedEvents'), 'Arn'] } } },
    });
    retained.template.hasOutput('ProbeFailedEventsQueueUrl', {});
  });

  it('creates one all-projection string-keyed GSI per registry index', () => {
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
