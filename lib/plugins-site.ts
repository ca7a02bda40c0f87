import type { UiConfig } from '#connectors/contracts/ui-config';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { REPO_ROOT } from './house-function.ts';
import { wildcardAction, wildcardResource } from './nag.ts';

export interface PluginsSiteProps {
  /**
   * Folder of already built static files to publish, relative to the repository root.
   * @default - the UIs are built from plugins-web/src at synth (`bin/build-web.ts`, as `npm run build:web`)
   */
  readonly sourceDir?: string;
  /**
   * How long CloudFront and S3 access logs are kept.
   * @default Duration.days(90)
   */
  readonly accessLogExpiration?: Duration;
  /**
   * What happens to the buckets when the site leaves the stack. A non-empty bucket cannot be
   * deleted by CloudFormation, so DESTROY only succeeds once the buckets are emptied.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The plugin UIs: a private bucket served only through CloudFront (Origin Access Control). */
export class PluginsSite extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  /** `https://<distribution domain>`, without a trailing slash (usable as a CORS origin). */
  public readonly url: string;
  /** The built UIs, as staged for upload. */
  public readonly files: s3assets.Asset;
  private readonly deployment: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: PluginsSiteProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // CloudFront standard logging writes with ACLs, hence OBJECT_WRITER on this bucket only.
    const logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: props.accessLogExpiration ?? Duration.days(90) }],
      removalPolicy,
    });
    Validations.of(logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket; logging it into itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logBucket,
      serverAccessLogsPrefix: 's3/',
      // Old versions are only needed to roll back a bad publish.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy,
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'mozaiks plugin UIs',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      enableLogging: true,
      logBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'Served on the default *.cloudfront.net certificate, which CloudFront pins to TLSv1; a custom domain with an ACM certificate lifts this.',
      },
      { id: 'AwsSolutions-CFR1', reason: 'The plugin UIs are static files meant for every country; no geo restriction.' },
      {
        id: 'AwsSolutions-CFR2',
        reason: 'Static, cacheable public files behind OAC; WAF cost is not justified. The API has its own throttling.',
      },
    );
    this.url = `https://${this.distribution.distributionDomainName}`;

    // An explicit asset (what Source.asset makes inside) so its bucket can be named below. By default
    // the UIs are built at synth like the Lambdas (locally, with esbuild), so a deploy never ships a
    // stale or missing plugins-web/dist; the asset's hash is that of the built files.
    const files = (this.files = new s3assets.Asset(
      this,
      'Files',
      props.sourceDir !== undefined
        ? { path: path.join(REPO_ROOT, props.sourceDir) }
        : {
            path: path.join(REPO_ROOT, 'plugins-web', 'src'),
            assetHashType: AssetHashType.OUTPUT,
            bundling: {
              // Never used: local bundling always succeeds or throws (no Docker needed).
              image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:20'),
              local: {
                tryBundle(outputDir: string): boolean {
                  execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bin', 'build-web.ts'), '--out', outputDir], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
                  return true;
                },
              },
            },
          },
    ));
    this.deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [s3deploy.Source.bucket(files.bucket, files.s3ObjectKey)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      logGroup: new logs.LogGroup(this, 'DeployLogs', {
        retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });

    // The deployment runs in a singleton Lambda (at stack level) whose runtime and role CDK writes.
    const deployHandler = this.deployment.handlerRole.node.scope;
    if (deployHandler) {
      const cdkManaged = 'CDK’s BucketDeployment custom resource: its runtime and role are written by aws-cdk-lib.';
      Validations.of(deployHandler).acknowledge(
        { id: 'AwsSolutions-L1', reason: cdkManaged },
        { id: 'Serverless-LambdaLatestVersion', reason: cdkManaged },
        { id: 'Serverless-LambdaTracing', reason: `${cdkManaged} It runs only during deployments.` },
        { id: 'Serverless-LambdaDLQ', reason: `${cdkManaged} CloudFormation invokes it and reports its failure on the stack.` },
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: `${cdkManaged} The managed policy only lets it write its logs.`,
        },
        ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
          id: wildcardAction(action),
          reason: `${cdkManaged} Read of the CDK asset bucket, write of the site bucket.`,
        })),
        {
          id: wildcardResource(this, files.bucket.arnForObjects('*')),
          reason: `${cdkManaged} It reads the site's zip from the CDK asset bucket.`,
        },
        {
          id: wildcardResource(this, this.bucket.arnForObjects('*')),
          reason: `${cdkManaged} It replaces every file of the site bucket.`,
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: `${cdkManaged} CloudFront invalidation actions do not support resource-level permissions here.`,
        },
      );
    }
  }

  /**
   * Publishes `/config.json` beside the UIs (API URL, issuer, ...), so one build runs against any
   * deployment. Values may be tokens (resolved at deploy time); a method rather than a prop
   * because the API that needs the site's URL for CORS is created after the site.
   */
  publishConfig(config: UiConfig): void {
    this.deployment.addSource(s3deploy.Source.jsonData('config.json', config));
  }
}
