import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { PlatformStack, type PlatformStackProps } from '#lib/platform-stack';

// cdk-nag v3 is a CDK policy-validation plugin: findings are no longer annotations but a report.
// `validateScope` runs the same checks as `cdk synth` does (bin/app.ts) and returns that report;
// acknowledged findings (Validations.of(x).acknowledge, beside each construct) are left out.
const unacknowledgedFindings = (props: PlatformStackProps): string[] => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new PlatformStack(app, 'NagTest', props);
  const reports = [new AwsSolutionsChecks(undefined, { verbose: true }), new ServerlessChecks(undefined, { verbose: true })].map((pack) => pack.validateScope(stack));
  return reports.flatMap((report) => report.violations).flatMap((v) =>
    v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`),
  );
};

// Run once, outside the tests: a synth costs about a second, which must not eat test timeouts.
const cognitoFindings = unacknowledgedFindings({});
const oidcFindings = unacknowledgedFindings({ auth: { oidcIssuer: 'https://id.example.com', oidcAudience: 'mozaiks' } });
const canaryFindings = unacknowledgedFindings({ canary: true, alarmEmail: 'ops@example.com' });
const untracedFindings = unacknowledgedFindings({ xrayTracing: false });

describe('cdk-nag AwsSolutions and ServerlessChecks', () => {
  it('finds no unacknowledged error or warning in the Cognito variant', () => {
    expect(cognitoFindings).toEqual([]);
  });

  it('finds no unacknowledged error or warning in the external OIDC variant', () => {
    expect(oidcFindings).toEqual([]);
  });

  it('finds no unacknowledged error or warning with canary releases and alarm e-mail', () => {
    expect(canaryFindings).toEqual([]);
  });

  it('finds no unacknowledged error or warning with X-Ray turned off', () => {
    expect(untracedFindings).toEqual([]);
  });
});
