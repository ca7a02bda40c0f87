// Every per-stage setting is a typed context value with a default; a mistyped one fails the synth
// naming it (it used to turn silently into a default, e.g. paymentProvider=stirpe became none).
import { readFileSync } from 'node:fs';
import { App, RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { CONTEXT_SETTINGS, readAppContext } from '#lib/app-context';
import { PlatformStack } from '#lib/platform-stack';

const read = (context: Record<string, unknown>) => readAppContext(new App({ context }));

describe('context settings', () => {
  it('defaults every setting for a first deploy', () => {
    expect(read({})).toEqual({
      stackName: 'MozaiksPlatform',
      nag: true,
      paymentProvider: 'none',
      corsOrigins: [],
      throttleRateLimit: 100,
      throttleBurstLimit: 200,
      logRetention: logs.RetentionDays.ONE_MONTH,
      memoryMb: 512,
      removalPolicy: RemovalPolicy.RETAIN,
      alarmEmail: undefined,
      canary: false,
      xrayTracing: true,
      sdkTracing: false,
      auth: { threatProtection: 'off' },
    });
  });

  it('reads a dev and a prod stage the README shows', () => {
    const dev = read({ stackName: 'MozaiksDev', removalPolicy: 'destroy', logRetentionDays: '7', paymentProvider: 'local', throttleRateLimit: '20', throttleBurstLimit: '40' });
    expect(dev).toMatchObject({ stackName: 'MozaiksDev', removalPolicy: RemovalPolicy.DESTROY, logRetention: 7, paymentProvider: 'local', throttleRateLimit: 20 });
    const prod = read({ stackName: 'MozaiksProd', logRetentionDays: 365, memoryMb: 1024, corsOrigins: 'https://app.example.com,https://admin.example.com', nag: 'true' });
    expect(prod).toMatchObject({ logRetention: 365, memoryMb: 1024, corsOrigins: ['https://app.example.com', 'https://admin.example.com'], removalPolicy: RemovalPolicy.RETAIN });
  });

  it.each([
    [{ paymentProvider: 'stirpe' }, /context paymentProvider: expected one of none, local, stripe, got "stirpe"/],
    [{ nag: 'no' }, /context nag: expected true or false, got "no"/],
    [{ memoryMb: '64' }, /context memoryMb: expected a whole number from 128 to 10240, got "64"/],
    [{ memoryMb: '1.5e3' }, /context memoryMb/],
    [{ logRetentionDays: '31' }, /context logRetentionDays: expected one of 1, 3, 5, 7, 14, 30/],
    [{ removalPolicy: 'delete' }, /context removalPolicy: expected one of retain, destroy, got "delete"/],
    [{ corsOrigins: 'https://app.example.com/path' }, /context corsOrigins: "https:\/\/app.example.com\/path" is not an origin/],
    [{ throttleRateLimit: '500', throttleBurstLimit: '100' }, /context throttleBurstLimit: expected at least throttleRateLimit \(500\)/],
    [{ oidcIssuer: 'http://id.example.com' }, /context oidcIssuer: expected an https URL/],
    [{ authDomainPrefix: 'My_Prefix' }, /context authDomainPrefix: expected lower-case letters, digits and -/],
    [{ paymentProvder: 'local' }, /context paymentProvder: not a setting of this stack; the settings are stackName, nag, paymentProvider/],
  ])('fails the synth naming a mistyped value: %j', (context, message) => {
    expect(() => read(context)).toThrow(message);
  });

  it("ignores CDK's own context keys (feature flags, bundling)", () => {
    expect(() => read({ '@aws-cdk/core:checkSecretUsage': true, 'aws:cdk:bundling-stacks': [] })).not.toThrow();
  });

  it('documents every setting, in the code and in the README\'s table', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const [key, setting] of Object.entries(CONTEXT_SETTINGS)) {
      expect(setting.doc.length, key).toBeGreaterThan(10);
      expect(readme, `README row for ${key}`).toContain(`| \`${key}\` |`);
    }
  });

  it('gives a destroy stage tables without deletion protection, and memory and retention everywhere', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new PlatformStack(app, 'DevStage', { removalPolicy: RemovalPolicy.DESTROY, memoryMb: 1024, logRetention: logs.RetentionDays.ONE_WEEK });
    const template = Template.fromStack(stack);
    const tables = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      expect(table.DeletionPolicy).toBe('Delete');
      expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
    }
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter((fn) => fn.Properties.Runtime === 'nodejs22.x');
    expect(functions.length).toBe(9);
    for (const fn of functions) expect(fn.Properties.MemorySize).toBe(1024);
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) expect(group.Properties.RetentionInDays).toBe(7);
    expect(Object.values(template.findResources('AWS::Cognito::UserPool'))[0]!.DeletionPolicy).toBe('Delete');
  }, 60_000);
});
