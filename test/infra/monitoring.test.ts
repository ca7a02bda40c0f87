// Alarms and the dashboard come from the registry: every service gets the same ones, so a new registry
// entry is covered without touching lib/monitoring.ts.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SERVICES, SERVICE_NAMES } from '#connectors/contracts/registry';
import { PlatformStack } from '#lib/platform-stack';

const synth = (props: ConstructorParameters<typeof PlatformStack>[2] = {}) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(new PlatformStack(app, 'Monitored', props));
};
const template = synth({ alarmEmail: 'ops@example.com' });
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: Record<string, any> }>;
const descriptions = alarms.map((a) => a.Properties.AlarmDescription as string);

describe('PlatformMonitoring', () => {
  it('alarms on the API 5xx rate, and on errors and throttles of execute and of every registry service', () => {
    expect(descriptions).toContain('More than 1% of API requests answered 5xx in 5 minutes');
    for (const name of ['execute', ...SERVICE_NAMES]) {
      expect(descriptions).toContain(`The ${name} function failed (errors or timeouts)`);
      expect(descriptions).toContain(`The ${name} function was throttled (concurrency limit)`);
    }
    for (const name of SERVICE_NAMES) expect(descriptions).toContain(`The ${name} table throttled requests`);
  });

  it('alarms when a failed-events queue is not empty (services with a failure queue)', () => {
    const withQueue = SERVICE_NAMES.filter((name) => (SERVICES[name] as { asyncInvokes?: { failureQueue?: boolean } }).asyncInvokes?.failureQueue);
    expect(withQueue.length).toBeGreaterThan(0);
    for (const name of withQueue) expect(descriptions.some((d) => d.startsWith(`Asynchronous invokes of ${name} failed`))).toBe(true);
    const services = SERVICE_NAMES.length;
    expect(alarms).toHaveLength(1 + 2 * (services + 1) + services + withQueue.length);
  });

  it('sends every alarm and its recovery to one encrypted topic, with the e-mail subscription from context', () => {
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
    const [key] = Object.keys(template.findResources('AWS::KMS::Key', { Properties: { EnableKeyRotation: true } }));
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    synth().resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('draws one dashboard with a row per function', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const name of ['execute', ...SERVICE_NAMES]) expect(body).toContain(`${name}: duration p50 / p99`);
  });
});
