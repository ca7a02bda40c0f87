import { UNLESS_SDK_TRACING } from '#functions/shared/sdk-tracing';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The repository root: handler entries, package.json (subpath imports) and the lock file live here. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

// esbuild's ESM output has no `require`; CommonJS dependencies bundled into it still call it.
const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

export interface HouseFunctionProps {
  /** Handler file relative to the repository root; it must export `handler`. */
  readonly entry: string;
  /** Service name for Powertools logs (`POWERTOOLS_SERVICE_NAME`). */
  readonly serviceName: string;
  /**
   * Extra environment variables (merged over the house ones).
   * @default - only NODE_OPTIONS and POWERTOOLS_SERVICE_NAME
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log group when the function is removed from the stack.
   * @default RemovalPolicy.DESTROY - logs are short-lived diagnostics, not data
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * @default - none
   */
  readonly description?: string;
  /**
   * Wrap the function's AWS SDK clients with Powertools Tracer (X-Ray subsegments per call); costs cold start.
   * @default false
   */
  readonly sdkTracing?: boolean;
}

/**
 * Every Lambda of the platform, with the house defaults: Node.js 22 on arm64, an ESM bundle
 * with source maps, an explicit log group with retention, and a role that may only write to
 * that log group until grants add more.
 */
export class HouseFunction extends NodejsFunction {
  /** The function's role (a sibling of the function in the tree); grants and acknowledgments go here. */
  public readonly executionRole: iam.Role;
  /**
   * The alias every caller uses (API Gateway, the execute function), pointing at the version this
   * deploy published: a release moves the alias (at once, or through a CodeDeploy canary).
   */
  public readonly live: lambda.Alias;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    // Built before super() because the function needs both; so they live beside it in `scope`.
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // An own role instead of the managed AWSLambdaBasicExecutionRole: that one may write to any
    // log group of the account, this one only to the function's own.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: path.join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 512,
      description: props.description,
      role,
      logGroup,
      // X-Ray traces across API Gateway -> execute -> service -> DynamoDB (the SDK calls are traced by
      // Lambda's own segment; Powertools Tracer can add subsegments later).
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        ...(props.sdkTracing && { MOZAIKS_TRACE_SDK: 'true' }),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // Stack traces need positions only; embedded sources would roughly double the .map,
        // which Node reads when it loads the bundle under --enable-source-maps.
        sourcesContent: false,
        // Bundle everything, the AWS SDK included: the function runs the SDK version pinned in
        // package-lock.json (the one the tests ran against), not whatever the runtime ships,
        // and esbuild tree-shakes the modular v3 clients to what the handler uses.
        bundleAwsSDK: true,
        // Powertools Tracer is loaded only with sdkTracing (functions/shared/sdk-tracing.ts); otherwise it
        // stays out of the bundle, so a function that never loads it does not parse it at cold start.
        externalModules: props.sdkTracing ? [] : [...UNLESS_SDK_TRACING],
      },
    });
    this.executionRole = role;
    this.live = new lambda.Alias(this, 'Live', { aliasName: 'live', version: this.currentVersion });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });

    // cdk-nag wants the newest Node.js runtime; the design fixes nodejs22.x for every function.
    const runtimeReason = 'The platform standardises on nodejs22.x (docs/architecture.md), the runtime the tests run against.';
    Validations.of(this).acknowledge(
      { id: 'AwsSolutions-L1', reason: runtimeReason },
      { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason },
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously (API Gateway -> execute, execute -> service), so a failure returns to the caller; a service with asynchronous invokes (Billing metering) sends them to an on-failure destination queue instead, which keeps the request and the error.',
      },
    );
  }
}
