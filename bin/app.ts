// The CDK app (cdk.json: `npx tsx bin/app.ts`). Settings come from context, e.g.
//   npx cdk deploy -c oidcIssuer=https://id.example.com -c oidcAudience=mozaiks
// Without oidcIssuer/oidcAudience the stack creates a Cognito user pool. `-c nag=false` skips cdk-nag
// (both packs: AwsSolutions and ServerlessChecks). Every setting: lib/app-context.ts, README "Operating".
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { readAppContext } from '../lib/app-context.ts';
import { PlatformStack } from '../lib/platform-stack.ts';

const app = new App();
const settings = (() => {
  try {
    return readAppContext(app);
  } catch (error) {
    // A mistyped context value: one line naming it, not a stack trace.
    console.error(`cdk: ${(error as Error).message}`);
    process.exit(1);
  }
})();

new PlatformStack(app, settings.stackName, {
  description: 'mozaiks-platform: execute runtime, platform services, plugin UIs',
  // Environment-agnostic when no account is configured, so `cdk synth` works without credentials.
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
  auth: settings.auth,
  paymentProvider: settings.paymentProvider,
  stripePriceIds: settings.stripePriceIds,
  extraCorsOrigins: settings.corsOrigins,
  throttleRateLimit: settings.throttleRateLimit,
  throttleBurstLimit: settings.throttleBurstLimit,
  logRetention: settings.logRetention,
  memoryMb: settings.memoryMb,
  removalPolicy: settings.removalPolicy,
  alarmEmail: settings.alarmEmail,
  canary: settings.canary,
  xrayTracing: settings.xrayTracing,
  sdkTracing: settings.sdkTracing,
});

// cdk-nag v3 is a policy-validation plugin: any unacknowledged finding fails the synth.
if (settings.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
