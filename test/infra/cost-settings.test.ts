// The settings the cost per action rests on (README, "Performance"): JSON logs without Lambda's START,
// END and REPORT lines, API access logs in the Infrequent Access class, and X-Ray that can be turned off.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '#connectors/contracts/registry';
import { PlatformStack, type PlatformStackProps } from '#lib/platform-stack';

const synth = (props: PlatformStackProps = {}) => Template.fromStack(new PlatformStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Costed', props));
const platformFunctions = (template: Template) =>
  Object.values(template.findResources('AWS::Lambda::Function')).filter((fn) => fn.Properties.Runtime === 'nodejs22.x');
const xrayStatements = (template: Template) =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>)
    .filter((statement) => JSON.stringify(statement.Action).includes('xray:PutTraceSegments'));

const template = synth();

describe('cost settings', () => {
  it('logs JSON from every function, with Lambda platform lines only at WARN and the application at INFO (EMF)', () => {
    const functions = platformFunctions(template);
    expect(functions).toHaveLength(SERVICE_NAMES.length + 1);
    for (const fn of functions) {
      expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON', SystemLogLevel: 'WARN', ApplicationLogLevel: 'INFO' });
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });

  it('keeps the API access logs in the Infrequent Access class', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    const groupArn = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0] as string;
    expect(template.findResources('AWS::Logs::LogGroup')[groupArn]!.Properties.LogGroupClass).toBe('INFREQUENT_ACCESS');
  });

  it('turns X-Ray off in every function, with its permissions, when asked (-c xrayTracing=false)', () => {
    expect(xrayStatements(template).length).toBeGreaterThan(0);
    const untraced = synth({ xrayTracing: false });
    for (const fn of platformFunctions(untraced)) expect(fn.Properties.TracingConfig?.Mode ?? 'PassThrough').not.toBe('Active');
    expect(xrayStatements(untraced)).toEqual([]);
  });

  it('refuses SDK subsegments without X-Ray', () => {
    expect(() => synth({ xrayTracing: false, sdkTracing: true })).toThrow(/sdkTracing .* needs xrayTracing/);
  });
});
