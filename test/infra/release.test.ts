// Releases: every function has a `live` alias on the version this deploy published; API Gateway and
// the execute function call aliases, never $LATEST; `-c canary=true` moves each alias through CodeDeploy
// and rolls back on that function's alarms or the API's 5xx alarm.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES, functionNameEnv } from '#connectors/contracts/registry';
import { PlatformStack } from '#lib/platform-stack';

const synth = (canary: boolean) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new PlatformStack(app, 'Released', { canary }));
};
const template = synth(false);
const aliases = template.findResources('AWS::Lambda::Alias');
const functions = template.findResources('AWS::Lambda::Function');
const platformFunctionIds = Object.keys(functions).filter((id) => functions[id]!.Properties.Runtime === 'nodejs22.x');
const aliasOf = (functionId: string) =>
  Object.keys(aliases).find((id) => JSON.stringify(aliases[id]!.Properties.FunctionName) === JSON.stringify({ Ref: functionId }))!;

describe('versions and aliases', () => {
  it('gives every platform function a live alias on a published version', () => {
    expect(platformFunctionIds).toHaveLength(SERVICE_NAMES.length + 1);
    for (const id of platformFunctionIds) {
      const alias = aliases[aliasOf(id)]!;
      expect(alias.Properties.Name).toBe('live');
      expect(alias.Properties.FunctionVersion).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/CurrentVersion/), 'Version'] });
    }
  });

  it('lets API Gateway call the execute alias, and execute call the service aliases', () => {
    const executeId = platformFunctionIds.find((id) => functions[id]!.Properties.Environment.Variables.AUTH_ISSUER)!;
    const [integration] = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'));
    expect(integration!.Properties.IntegrationUri).toEqual({ Ref: aliasOf(executeId) });
    const env = functions[executeId]!.Properties.Environment.Variables;
    for (const name of SERVICE_NAMES) {
      const target = env[functionNameEnv(name)];
      expect(Object.keys(aliases)).toContainEqual(target.Ref);
    }
  });

  it('puts the asynchronous-invoke settings (retries, failure queue) on the alias that is invoked', () => {
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs) {
      // The alias ARN's last part ("live"), taken from the alias resource.
      expect(JSON.stringify(config.Properties.Qualifier)).toMatch(/"Ref":"\w*Live\w*"/);
      expect(config.Properties.MaximumRetryAttempts).toBe(0);
    }
  });

  it('moves aliases at once without canary, and through CodeDeploy with rollback on the alarms with it', () => {
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    const canary = synth(true);
    const groups = Object.values(canary.findResources('AWS::CodeDeploy::DeploymentGroup'));
    expect(groups).toHaveLength(SERVICE_NAMES.length + 1);
    for (const group of groups) {
      expect(group.Properties.DeploymentConfigName).toBe('CodeDeployDefault.LambdaCanary10Percent5Minutes');
      expect(group.Properties.AlarmConfiguration.Enabled).toBe(true);
      expect(group.Properties.AlarmConfiguration.Alarms).toHaveLength(3); // errors, throttles, API 5xx
      expect(group.Properties.AutoRollbackConfiguration.Events).toEqual(expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']));
    }
    for (const alias of Object.values(canary.findResources('AWS::Lambda::Alias'))) {
      expect(alias.UpdatePolicy?.CodeDeployLambdaAliasUpdate).toBeDefined();
    }
  }, 60_000);

  it('turns SDK tracing on in every function only when asked (-c sdkTracing=true)', () => {
    for (const id of platformFunctionIds) expect(functions[id]!.Properties.Environment.Variables.MOZAIKS_TRACE_SDK).toBeUndefined();
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const traced = Template.fromStack(new PlatformStack(app, 'Traced', { sdkTracing: true }));
    const tracedFunctions = Object.values(traced.findResources('AWS::Lambda::Function')).filter((fn) => fn.Properties.Runtime === 'nodejs22.x');
    expect(tracedFunctions).toHaveLength(SERVICE_NAMES.length + 1);
    for (const fn of tracedFunctions) expect(fn.Properties.Environment.Variables.MOZAIKS_TRACE_SDK).toBe('true');
  }, 60_000);
});
