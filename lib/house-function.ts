import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { bundleLambdaSync } from './lambda-bundle.ts';

/** The repository root: handler entries, package.json (subpath imports) and the lock file live here. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * A handler file bundled at synth by esbuild on this machine (no Docker), with the settings of
 * `npm run build` and `npm run bench` (lib/lambda-bundle.ts): `index.mjs` plus the chunks its dynamic
 * imports load on first use. The asset's hash is that of the output, so an unchanged bundle is not
 * uploaded again.
 */
function bundledCode(entry: string): lambda.Code {
  const entryPath = path.join(REPO_ROOT, entry);
  return lambda.Code.fromAsset(path.dirname(entryPath), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22'),
      local: {
        tryBundle(outputDir: string): boolean {
          bundleLambdaSync({ entryPoints: { index: entryPath } }, outputDir);
          return true;
        },
      },
    },
  });
}

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
   * Wrap the function's AWS SDK clients with Powertools Tracer (X-Ray subsegments per call); costs cold
   * start. Off, the tracer's chunk is never loaded.
   * @default false
   */
  readonly sdkTracing?: boolean;
  /**
   * X-Ray active tracing: Lambda samples 1 request a second and 5% of the rest.
   * @default true
   */
  readonly xrayTracing?: boolean;
}

/**
 * Every Lambda of the platform, with the house defaults: Node.js 22 on arm64, an ESM bundle
 * with source maps (`bundledCode`), an explicit log group with retention, and a role that may only
 * write to that log group until grants add more.
 */
export class HouseFunction extends lambda.Function {
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
      code: bundledCode(props.entry),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 512,
      description: props.description,
      role,
      logGroup,
      // X-Ray traces across execute -> service (the SDK passes the trace header; Powertools Tracer adds
      // subsegments per SDK call with sdkTracing).
      tracing: props.xrayTracing === false ? lambda.Tracing.DISABLED : lambda.Tracing.ACTIVE,
      // Log bytes are a cost per action (README, "Performance"): JSON logs, and Lambda's own START, END
      // and REPORT lines only at WARN (its metrics carry durations). The application level stays INFO so
      // the per-action EMF metrics line (no level field) and Powertools' own levels decide.
      loggingFormat: lambda.LoggingFormat.JSON,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        ...(props.sdkTracing && { MOZAIKS_TRACE_SDK: 'true' }),
        ...props.environment,
      },
    });
    this.executionRole = role;
    this.live = new lambda.Alias(this, 'Live', { aliasName: 'live', version: this.currentVersion });
    if (props.xrayTracing === false) {
      Validations.of(this).acknowledge({
        id: 'Serverless-LambdaTracing',
        reason: 'X-Ray turned off on purpose (-c xrayTracing=false): traces cost per action (README, "Performance").',
      });
    } else {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
      });
    }

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
