import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { PaymentProviderName } from './app-context.ts';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { API_ACCESS_LOG_FIELDS } from './api-access-log.ts';
import { PlatformAuth, type PlatformAuthProps } from './auth.ts';
import { SERVICES, SERVICE_NAMES, functionNameEnv } from '#connectors/contracts/registry';
import { CORS_RULES } from '#connectors/contracts/wire';
import { EXECUTE_ENTRY } from './entries.ts';
import { HouseFunction } from './house-function.ts';
import { PlatformService, SERVICE_TIMEOUT } from './platform-service.ts';
import { wildcardResource } from './nag.ts';
import { PlatformMonitoring } from './monitoring.ts';
import { PluginsSite } from './plugins-site.ts';
import { StripePayments } from './stripe-payments.ts';
import { PAYMENT_WEBHOOK_PATH } from '#connectors/contracts/billing';

export interface PlatformStackProps extends StackProps {
  /**
   * Token issuer settings; an external OIDC provider replaces the Cognito user pool.
   * @default - a Cognito user pool
   */
  readonly auth?: PlatformAuthProps;
  /**
   * Retention of every function's and the API's logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Steady-state request rate (requests per second) allowed on the API's default stage.
   * @default 100
   */
  readonly throttleRateLimit?: number;
  /**
   * Burst of requests allowed on the API's default stage.
   * @default 200
   */
  readonly throttleBurstLimit?: number;
  /**
   * Browser origins allowed besides the plugins site (e.g. a mozaiks-core front end).
   * @default - only the plugins site
   */
  readonly extraCorsOrigins?: readonly string[];
  /**
   * Billing's payment provider: `none` never completes a checkout; `local` approves every payment
   * on a confirmation page (demo stacks only: no money moves); `stripe` sells plans through Stripe
   * Checkout (a secret for its keys, the webhook route `POST /api/billing/webhook`).
   * @default 'none'
   */
  readonly paymentProvider?: PaymentProviderName;
  /**
   * With `stripe` (and required there): the Stripe price of each plan sold, `plan:price_id,...`.
   * @default - none
   */
  readonly stripePriceIds?: string;
  /**
   * Memory of every Lambda function, in MB.
   * @default 512
   */
  readonly memoryMb?: number;
  /**
   * What happens to the tables, the user pool and the site's buckets when they leave the stack
   * (DESTROY also turns the tables' deletion protection off: for dev stages).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Where alarms are sent by e-mail (SNS subscription; confirm it once).
   * @default - the topic only
   */
  readonly alarmEmail?: string;
  /**
   * Release through CodeDeploy: each function's `live` alias moves to the new version for 10% of
   * calls for 5 minutes, then for all, and rolls back if that function's alarms or the API's 5xx
   * alarm fire meanwhile. Without it the alias moves at once.
   * @default false
   */
  readonly canary?: boolean;
  /**
   * X-Ray subsegments for every AWS SDK call (Powertools Tracer), beside the functions' own segments.
   * Off by default: it adds to every cold start (README, "Operating").
   * @default false
   */
  readonly sdkTracing?: boolean;
  /**
   * X-Ray active tracing of every function. Lambda samples 1 request a second and 5% of the rest (not
   * configurable for Lambda): about $0.25 per million actions at volume (README, "Performance").
   * @default true
   */
  readonly xrayTracing?: boolean;
}

export type { PaymentProviderName } from './app-context.ts';

/**
 * Timeouts, shortest first: a service function (SERVICE_TIMEOUT, 8 s) < how long the execute function
 * waits for one service call (SERVICE_DEADLINE, 9 s, then UPSTREAM_UNAVAILABLE) < the execute function
 * (EXECUTE_TIMEOUT, 12 s) < API Gateway's integration timeout (30 s). Every slow path thus ends in the
 * JSON envelope: a service that runs out of time is a FunctionError, a Lambda API that does not answer
 * (throttling, a slow cold start) is aborted at the deadline, and 3 s remain to answer.
 */
export const SERVICE_DEADLINE = Duration.seconds(9);
export const EXECUTE_TIMEOUT = Duration.seconds(12);

/** mozaiks-platform on AWS: the HTTP API, the execute runtime, one Lambda + table per service, the plugin UIs. */
export class PlatformStack extends Stack {
  public readonly auth: PlatformAuth;
  public readonly services: readonly PlatformService[];
  public readonly execute: HouseFunction;
  public readonly api: apigwv2.HttpApi;
  public readonly site: PluginsSite;
  public readonly monitoring: PlatformMonitoring;

  constructor(scope: Construct, id: string, props: PlatformStackProps = {}) {
    super(scope, id, props);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    const { memoryMb, removalPolicy, sdkTracing, xrayTracing } = props;
    if (sdkTracing && xrayTracing === false) throw new Error('sdkTracing adds subsegments to X-Ray traces: it needs xrayTracing');
    this.site = new PluginsSite(this, 'PluginsSite', { logRetention, removalPolicy });

    // Hosted sign-in comes back to the plugins site's shell.
    this.auth = new PlatformAuth(this, 'Auth', { removalPolicy, ...props.auth, signInCallbackUrl: `${this.site.url}/` });

    // Every registry entry shows up here as a Lambda + table (+ its settings and async-invoke queue).
    const paymentProvider = props.paymentProvider ?? 'none';
    // Stripe: its keys in a secret only Billing reads, and the price of each plan sold.
    let stripe: StripePayments | undefined;
    if (paymentProvider === 'stripe') {
      if (!props.stripePriceIds) throw new Error('paymentProvider stripe needs stripePriceIds (plan:price_id,...)');
      stripe = new StripePayments(this, 'Stripe', { secretName: `${this.stackName}/stripe`, removalPolicy });
    }
    const stackValues = {
      paymentProvider,
      siteUrl: this.site.url,
      ...(stripe && { stripe: { secretArn: stripe.secret.secretArn, priceIds: props.stripePriceIds! } }),
    };
    this.services = SERVICE_NAMES.map(
      (name) => new PlatformService(this, `Service-${name}`, { name, entry: SERVICES[name], stackValues, logRetention, memoryMb, removalPolicy, sdkTracing, xrayTracing }),
    );

    const billing = this.services.find((service) => service.name === 'billing');
    if (stripe && billing) stripe.grantRead(billing.fn);

    if (!(SERVICE_TIMEOUT.toMilliseconds() < SERVICE_DEADLINE.toMilliseconds() && SERVICE_DEADLINE.toMilliseconds() < EXECUTE_TIMEOUT.toMilliseconds())) {
      throw new Error('Timeouts must grow: service function < service deadline < execute function');
    }
    this.execute = new HouseFunction(this, 'Execute', {
      entry: EXECUTE_ENTRY,
      serviceName: 'execute',
      description: 'mozaiks runtime: POST /api/execute/{plugin}, GET /api/plugins, GET /api/health',
      logRetention,
      memorySize: memoryMb,
      sdkTracing,
      xrayTracing,
      timeout: EXECUTE_TIMEOUT,
      environment: {
        MOZAIKS_SERVICE_DEADLINE_MS: String(SERVICE_DEADLINE.toMilliseconds()),
        // Per-action metrics (EMF): one namespace per stage.
        POWERTOOLS_METRICS_NAMESPACE: `Mozaiks/${this.stackName}`,
        AUTH_ISSUER: this.auth.issuer,
        AUTH_AUDIENCE: this.auth.audience,
        AUTH_JWKS_URI: this.auth.jwksUri,
        AUTH_TENANT_CLAIM: this.auth.tenantClaim,
        AUTH_ROLES_CLAIM: this.auth.rolesClaim,
        // The alias ARNs: the execute function calls the released version of each service.
        ...Object.fromEntries(this.services.map((s) => [functionNameEnv(s.name), s.fn.live.functionArn])),
      },
    });
    // The runtime's only permission: invoke the service Lambdas. It never touches a table.
    for (const service of this.services) {
      service.fn.grantInvoke(this.execute);
      Validations.of(this.execute.executionRole).acknowledge({
        id: wildcardResource(this, `${service.fn.functionArn}:*`),
        reason: 'grantInvoke also covers the service function’s versions and aliases (<function arn>:*).',
      });
    }

    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'mozaiks platform API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [this.site.url, ...(props.extraCorsOrigins ?? [])],
        allowMethods: CORS_RULES.allowMethods.map((method) => apigwv2.CorsHttpMethod[method]),
        allowHeaders: [...CORS_RULES.allowHeaders],
        exposeHeaders: [...CORS_RULES.exposeHeaders],
        maxAge: Duration.seconds(CORS_RULES.maxAgeSeconds),
      },
    });

    // Infrequent Access: half the ingestion price of a line every request writes, and nothing reads
    // these logs but people (Logs Insights works; no metric filters or subscriptions are needed).
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
      logGroupClass: logs.LogGroupClass.INFREQUENT_ACCESS,
    });
    const stage = new apigwv2.HttpStage(this, 'ApiDefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: props.throttleRateLimit ?? 100,
        burstLimit: props.throttleBurstLimit ?? 200,
      },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(API_ACCESS_LOG_FIELDS)),
      },
    });

    // No API Gateway authorizer: the execute Lambda verifies every call itself (aws-jwt-verify),
    // because one verifier has to accept both user JWTs and app API keys, and the very same code
    // runs in the local platform, where there is no API Gateway in front of it.
    const integration = new HttpLambdaIntegration('ExecuteIntegration', this.execute.live, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });
    const routes = [
      ...this.api.addRoutes({ path: '/api/execute/{plugin}', methods: [apigwv2.HttpMethod.POST], integration }),
      ...this.api.addRoutes({ path: '/api/health', methods: [apigwv2.HttpMethod.GET], integration }),
      ...this.api.addRoutes({ path: '/api/plugins', methods: [apigwv2.HttpMethod.GET], integration }),
    ];
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'The execute Lambda verifies the JWT or app API key of every call (one verifier, same code locally).',
      });
    }
    if (stripe) {
      // Stripe's event deliveries: no token; Billing verifies the Stripe-Signature over the raw body.
      for (const route of this.api.addRoutes({ path: PAYMENT_WEBHOOK_PATH, methods: [apigwv2.HttpMethod.POST], integration })) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: 'Stripe sends no token: Billing verifies each delivery’s Stripe-Signature (HMAC over the raw body, 5-minute tolerance) before acting on it.',
        });
      }
    }

    // No trailing slash (stage.url has one), so `$ApiUrl/api/health` is a working URL.
    const apiUrl = this.api.apiEndpoint;
    this.site.publishConfig({ apiUrl, ...this.auth.signIn });

    this.monitoring = new PlatformMonitoring(this, 'Monitoring', { api: this.api, execute: this.execute, services: this.services, alarmEmail: props.alarmEmail });
    if (props.canary) {
      // One role for every deployment group, with the policy AWS maintains for Lambda canaries.
      const role = new iam.Role(this, 'ReleaseRole', {
        assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSCodeDeployRoleForLambdaLimited')],
      });
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
        reason: 'CodeDeploy’s own policy for Lambda canaries (update aliases, read alarms, publish to SNS), kept current by AWS.',
      });
      for (const [name, fn] of [['execute', this.execute] as const, ...this.services.map((s) => [s.name, s.fn] as const)]) {
        new codedeploy.LambdaDeploymentGroup(this, `Release-${name}`, {
          alias: fn.live,
          role,
          deploymentConfig: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
          alarms: [...(this.monitoring.functionAlarms.get(name) ?? []), this.monitoring.apiErrorRate],
          autoRollback: { failedDeployment: true, deploymentInAlarm: true, stoppedDeployment: true },
        });
      }
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });

    new CfnOutput(this, 'ApiUrl', { value: apiUrl });
    if (stripe) {
      new CfnOutput(this, 'StripeSecretArn', { value: stripe.secret.secretArn });
      new CfnOutput(this, 'StripeWebhookUrl', { value: `${apiUrl}${PAYMENT_WEBHOOK_PATH}` });
    }
    new CfnOutput(this, 'PluginsUrl', { value: this.site.url });
    new CfnOutput(this, 'Issuer', { value: this.auth.issuer });
    new CfnOutput(this, 'Audience', { value: this.auth.audience });
    if (this.auth.userPool) new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
  }
}
