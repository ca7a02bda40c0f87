import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { readAppContext } from '#lib/app-context';
import { SERVICE_NAMES, functionNameEnv } from '#connectors/contracts/registry';
import { SERVICE_TIMEOUT } from '#lib/platform-service';
import { EXECUTE_TIMEOUT, PlatformStack, SERVICE_DEADLINE } from '#lib/platform-stack';

// An empty bundling-stacks list makes every stack skip asset bundling, so no esbuild run:
// NodejsFunction then stages a placeholder instead of the bundle.
const synth = (context: Record<string, unknown> = {}) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const settings = readAppContext(app);
  const stack = new PlatformStack(app, settings.stackName, { auth: settings.auth });
  return { stack, template: Template.fromStack(stack) };
};

const logicalId = (construct: IConstruct): string => {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
};

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** Every statement of the policies attached to `role`. */
const statementsOf = (template: Template, role: IConstruct): Statement[] => {
  const roleRef = { Ref: logicalId(role) };
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: Match.arrayWith([roleRef]) } });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
};
/** Active tracing: every function may send its trace segments (X-Ray has no resource-level permissions). */
const XRAY_ACTIONS = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

// Built once, outside the tests: a synth costs about a second, which must not eat test timeouts.
const { stack, template } = synth();
const oidc = synth({
  oidcIssuer: 'https://id.example.com/',
  oidcAudience: 'mozaiks',
  oidcRolesClaim: 'groups',
  stackName: 'OidcPlatform',
});
const [hosting] = stack.services;
if (!hosting) throw new Error('the registry lists no service');
const billing = stack.services.find((s) => s.name === 'billing')!;

describe('PlatformStack HTTP API', () => {
  it('routes the three public paths to the execute Lambda with payload v2 and no authorizer', () => {
    const routes = template.findResources('AWS::ApiGatewayV2::Route');
    expect(Object.values(routes).map((r) => r.Properties.RouteKey).sort()).toEqual([
      'GET /api/health',
      'GET /api/plugins',
      'POST /api/execute/{plugin}',
    ]);
    for (const route of Object.values(routes)) expect(route.Properties.AuthorizationType).toBe('NONE');
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { Ref: logicalId(stack.execute.live) },
    });
  });

  it('allows the plugins site origin and the platform headers in CORS', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: [
          { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.site.distribution), 'DomainName'] }]] },
        ],
        AllowHeaders: ['authorization', 'content-type', 'x-correlation-id', 'x-mozaiks-app-key'],
      },
    });
  });

  it('throttles and access-logs the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] } },
    });
  });
});

describe('PlatformStack service tables', () => {
  it('creates one on-demand, PITR, retained pk/sk table per registry entry', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', SERVICE_NAMES.length);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      },
    });
  });

  it('tells each service function its table name', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TABLE_NAME: { Ref: logicalId(hosting.table) } }) },
    });
  });
});

describe('PlatformStack Lambdas', () => {
  const houseFunctions = [stack.execute, ...stack.services.map((s) => s.fn)];

  it('runs every platform function on nodejs22.x, arm64, with source maps and its own log group', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    for (const fn of houseFunctions) {
      const props = functions[logicalId(fn)]?.Properties;
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: fn === stack.execute ? 12 : 8,
        MemorySize: 512,
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/Logs/) } },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
    }
  });

  it('keeps every log group for one month', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(houseFunctions.length + 1);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
  });

  it('gives the execute Lambda its auth settings and the service function names', () => {
    const variables = template.findResources('AWS::Lambda::Function')[logicalId(stack.execute)]?.Properties
      .Environment.Variables;
    expect(variables).toMatchObject({
      AUTH_TENANT_CLAIM: 'custom:tenantId',
      AUTH_ROLES_CLAIM: 'cognito:groups',
      AUTH_AUDIENCE: { Ref: logicalId(stack.auth.userPoolClient!) },
      POWERTOOLS_SERVICE_NAME: 'execute',
      ...Object.fromEntries(stack.services.map((s) => [functionNameEnv(s.name), { Ref: logicalId(s.fn.live) }])),
    });
    expect(stack.services.map((s) => s.name)).toEqual(SERVICE_NAMES);
    expect(JSON.stringify(variables.AUTH_ISSUER)).toContain('https://cognito-idp.');
    expect(JSON.stringify(variables.AUTH_JWKS_URI)).toContain('/.well-known/jwks.json');
  });

  it('gives up on a service call before the execute function times out, and after the service does', () => {
    // Otherwise a slow service makes API Gateway answer its bare 500 instead of the JSON envelope.
    const functions = template.findResources('AWS::Lambda::Function');
    const execute = functions[logicalId(stack.execute)]!.Properties;
    const deadlineMs = Number(execute.Environment.Variables.MOZAIKS_SERVICE_DEADLINE_MS);
    expect(deadlineMs).toBe(SERVICE_DEADLINE.toMilliseconds());
    expect(execute.Timeout).toBe(EXECUTE_TIMEOUT.toSeconds());
    expect(deadlineMs).toBeLessThan(execute.Timeout * 1000);
    for (const service of stack.services) {
      const timeout = functions[logicalId(service.fn)]!.Properties.Timeout as number;
      expect(timeout).toBe(SERVICE_TIMEOUT.toSeconds());
      expect(timeout * 1000, service.name).toBeLessThan(deadlineMs);
    }
    // Below API Gateway's 30 s integration timeout, with time left to answer after the deadline.
    expect(execute.Timeout).toBeLessThan(30);
    expect(execute.Timeout * 1000 - deadlineMs).toBeGreaterThanOrEqual(2_000);
  });
});

describe('PlatformStack least privilege', () => {
  it('lets the execute Lambda invoke the service functions and write its logs, nothing else', () => {
    const statements = statementsOf(template, stack.execute.executionRole);
    const actions = new Set(statements.flatMap(actionsOf));
    expect([...actions].sort()).toEqual(['lambda:InvokeFunction', 'logs:CreateLogStream', 'logs:PutLogEvents', ...XRAY_ACTIONS]);

    const invokeTargets = statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction')).flatMap(resourcesOf);
    const serviceArns = stack.services.flatMap((s) => {
      const arn = { 'Fn::GetAtt': [logicalId(s.fn), 'Arn'] };
      return [arn, { 'Fn::Join': ['', [arn, ':*']] }];
    });
    expect(invokeTargets).toEqual(expect.arrayContaining(serviceArns));
    expect(invokeTargets).toHaveLength(serviceArns.length);
  });

  it.each(stack.services.map((s) => [s.name, s] as const))('lets the %s function use only its own table (no invoke, no other table)', (_name, service) => {
    const statements = statementsOf(template, service.fn.executionRole);
    const actions = statements.flatMap(actionsOf);
    expect(actions.some((a) => a.startsWith('lambda:'))).toBe(false);
    // Billing's metering invokes that fail go to its failure queue (Lambda sends them with the function's role).
    const queueStatements = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    if (service.name === 'billing') {
      expect(queueStatements.flatMap(actionsOf).sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
      expect(queueStatements.flatMap(resourcesOf)).toEqual([{ 'Fn::GetAtt': [logicalId(billing.failedEvents!), 'Arn'] }]);
    } else {
      expect(queueStatements).toEqual([]);
    }
    expect(actions.filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('logs:') && !a.startsWith('sqs:') && !XRAY_ACTIONS.includes(a))).toEqual([]);

    const tableArn = { 'Fn::GetAtt': [logicalId(service.table), 'Arn'] };
    const dynamoResources = statements
      .filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')))
      .flatMap(resourcesOf);
    expect(dynamoResources.length).toBeGreaterThan(0);
    for (const resource of dynamoResources) {
      // The table itself or one of its indexes (`<arn>/index/*`).
      expect([tableArn, { 'Fn::Join': ['', [tableArn, '/index/*']] }]).toContainEqual(resource);
    }
  });

  it('deploys Billing without a payment provider unless asked, and without async retries', () => {
    const billing = stack.services.find((s) => s.name === 'billing')!;
    const variables = template.findResources('AWS::Lambda::Function')[logicalId(billing.fn)]?.Properties.Environment.Variables;
    expect(variables.PAYMENT_PROVIDER).toBe('none');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  it('keeps the metering events that fail in an encrypted, SSL-only queue instead of losing them', () => {
    const billing = stack.services.find((s) => s.name === 'billing')!;
    const queueArn = { 'Fn::GetAtt': [logicalId(billing.failedEvents!), 'Arn'] };
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(billing.fn) },
      Qualifier: { 'Fn::Select': [7, { 'Fn::Split': [':', { Ref: logicalId(billing.fn.live) }] }] },
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasOutput('BillingFailedEventsQueueUrl', { Value: { Ref: logicalId(billing.failedEvents!) } });
  });
});

describe('PlatformStack auth and outputs', () => {
  it('creates an invite-only Cognito user pool with an immutable tenantId and a public SRP client', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        UsernameAttributes: ['email'],
        Schema: Match.arrayWith([Match.objectLike({ Name: 'tenantId', AttributeDataType: 'String', Mutable: false })]),
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
    });
  });

  it('hardens the user pool: no self sign-up, deletion protection, threat protection off unless asked for', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      DeletionProtection: 'ACTIVE',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    const pool = Object.values(template.findResources('AWS::Cognito::UserPool'))[0]!;
    expect(pool.Properties.UserPoolAddOns).toBeUndefined();
    const guarded = synth({ threatProtection: 'full' }).template;
    guarded.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
  });

  it('traces every function of the platform (X-Ray active tracing)', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter((fn) => fn.Properties.Runtime === 'nodejs22.x');
    expect(functions).toHaveLength(SERVICE_NAMES.length + 1);
    for (const fn of functions) expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('offers hosted sign-in: a user pool domain, the code flow with PKCE back to the plugins site, no implicit flow, the roles as groups', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    const [client] = Object.values(template.findResources('AWS::Cognito::UserPoolClient')) as Array<{ Properties: Record<string, any> }>;
    expect(client!.Properties['AllowedOAuthFlows']).toEqual(['code']);
    expect(client!.Properties['AllowedOAuthFlowsUserPoolClient']).toBe(true);
    expect(client!.Properties['SupportedIdentityProviders']).toEqual(['COGNITO']);
    expect(client!.Properties['AllowedOAuthScopes']).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    // https://<the distribution's domain>/ — the shell at the site's root.
    const callback = JSON.stringify(client!.Properties['CallbackURLs']);
    expect(callback).toMatch(/PluginsSiteDistribution\w*","DomainName"\]\},"\/"\]/);
    expect(client!.Properties['LogoutURLs']).toEqual(client!.Properties['CallbackURLs']);
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g: any) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['admin', 'member', 'moderator', 'owner']);
  });

  it('outputs the API and plugins URLs, the issuer, the audience and the user pool id', () => {
    for (const name of ['ApiUrl', 'PluginsUrl', 'Issuer', 'Audience', 'UserPoolId']) template.hasOutput(name, {});
  });

  it('outputs the API endpoint, which has no trailing slash, so `$ApiUrl/api/health` works', () => {
    // The stage's URL ends with "/"; the API's ApiEndpoint attribute is https://<id>.execute-api.<region>.<suffix>.
    const [apiId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'));
    expect(template.findOutputs('ApiUrl')['ApiUrl']).toEqual({ Value: { 'Fn::GetAtt': [apiId, 'ApiEndpoint'] } });
  });

  it('uses an external OIDC provider from context instead of a user pool', () => {
    expect(oidc.stack.stackName).toBe('OidcPlatform');
    oidc.template.resourceCountIs('AWS::Cognito::UserPool', 0);
    oidc.template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    oidc.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AUTH_ISSUER: 'https://id.example.com',
          AUTH_AUDIENCE: 'mozaiks',
          AUTH_JWKS_URI: 'https://id.example.com/.well-known/jwks.json',
          AUTH_TENANT_CLAIM: 'tenantId',
          AUTH_ROLES_CLAIM: 'groups',
        }),
      },
    });
    oidc.template.hasOutput('Issuer', { Value: 'https://id.example.com' });
    expect(Object.keys(oidc.template.toJSON().Outputs)).not.toContain('UserPoolId');
  });

  it('refuses an OIDC issuer without an audience', () => {
    expect(() => synth({ oidcIssuer: 'https://id.example.com' })).toThrow(/oidcIssuer and oidcAudience/);
  });
});

describe('PlatformStack plugins site', () => {
  it('serves a private, versioned, SSL-only bucket through CloudFront with OAC over HTTPS', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
  });
});
