// `-c paymentProvider=stripe`: the secret Billing reads its Stripe keys from (and nothing else may),
// the settings that point Billing at it, the unauthenticated webhook route, and the checks on
// `stripePriceIds` that fail the synth naming it.
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { readAppContext } from '#lib/app-context';
import { PlatformStack } from '#lib/platform-stack';

const synth = (context: Record<string, unknown>) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const settings = readAppContext(app);
  const stack = new PlatformStack(app, settings.stackName, { paymentProvider: settings.paymentProvider, stripePriceIds: settings.stripePriceIds });
  return { stack, template: Template.fromStack(stack) };
};
const logicalId = (construct: IConstruct): string => Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);

// Built once, outside the tests: a synth costs about a second.
const { stack, template } = synth({ stackName: 'PayStage', paymentProvider: 'stripe', stripePriceIds: 'starter:price_S1, premium:price_P2' });
const plain = synth({ paymentProvider: 'local' }).template;
const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0]!;
const billing = stack.services.find((service) => service.name === 'billing')!;

type Statement = { Action: string | string[]; Resource: unknown };
const secretStatements = (t: Template) =>
  Object.values(t.findResources('AWS::IAM::Policy')).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Statement[])
      .filter((s) => [s.Action].flat().some((action) => action.startsWith('secretsmanager:')))
      .map((s) => ({ roles: policy.Properties.Roles, actions: [s.Action].flat().sort(), resource: s.Resource })),
  );

describe('paymentProvider=stripe', () => {
  it('creates one secret <stack>/stripe holding placeholders, kept when the stack goes', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const secret = template.findResources('AWS::SecretsManager::Secret')[secretId]!;
    expect(secret.Properties.Name).toBe('PayStage/stripe');
    expect(JSON.parse(secret.Properties.SecretString)).toEqual({ apiKey: 'REPLACE_ME', webhookSecret: 'REPLACE_ME' });
    expect(secret.DeletionPolicy).toBe('Retain');
  });

  it("lets the Billing function, and no other, read that secret, and gives it Stripe's settings", () => {
    expect(secretStatements(template)).toEqual([
      { roles: [{ Ref: logicalId(billing.fn.executionRole) }], actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], resource: { Ref: secretId } },
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'billing',
          PAYMENT_PROVIDER: 'stripe',
          STRIPE_SECRET_ARN: { Ref: secretId },
          STRIPE_PRICE_IDS: 'starter:price_S1,premium:price_P2',
        }),
      },
    });
    // The keys never sit in a function's environment.
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(JSON.stringify(fn.Properties.Environment ?? {})).not.toMatch(/STRIPE_API_KEY|STRIPE_WEBHOOK_SECRET/);
    }
  });

  it('routes POST /api/billing/webhook to the execute function without an authorizer, and outputs its URL and the secret', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties);
    const webhook = routes.find((route) => route.RouteKey === 'POST /api/billing/webhook');
    expect(webhook).toBeDefined();
    expect(webhook!.AuthorizationType).toBe('NONE');
    const execute = routes.find((route) => route.RouteKey === 'POST /api/execute/{plugin}')!;
    expect(webhook!.Target).toEqual(execute.Target);
    template.hasOutput('StripeWebhookUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    template.hasOutput('StripeSecretArn', { Value: { Ref: secretId } });
  });

  it('adds none of it with another provider', () => {
    plain.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(secretStatements(plain)).toEqual([]);
    const keys = Object.values(plain.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey);
    expect(keys).not.toContain('POST /api/billing/webhook');
    expect(JSON.stringify(plain.findResources('AWS::Lambda::Function'))).not.toContain('STRIPE_');
  });

  it('leaves no unacknowledged cdk-nag finding', () => {
    const findings = [new AwsSolutionsChecks(undefined, { verbose: true }), new ServerlessChecks(undefined, { verbose: true })]
      .map((pack) => pack.validateScope(stack))
      .flatMap((report) => report.violations)
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });
});

describe('stripePriceIds', () => {
  const read = (context: Record<string, unknown>) => () => readAppContext(new App({ context }));

  it.each([
    [{ paymentProvider: 'stripe', stripePriceIds: 'starter:price_1,premum:price_2' }, /context stripePriceIds: "premum" is not a paid plan; the plans are starter, premium, business, enterprise/],
    [{ paymentProvider: 'stripe', stripePriceIds: 'free:price_1' }, /context stripePriceIds: "free" is not a paid plan/],
    [{ paymentProvider: 'stripe', stripePriceIds: 'starter=price_1' }, /context stripePriceIds: expected plan:price_id pairs/],
    [{ paymentProvider: 'stripe', stripePriceIds: 'starter:prod_1' }, /context stripePriceIds: the price of starter must be a Stripe price id/],
    [{ paymentProvider: 'stripe', stripePriceIds: 'starter:price_1,starter:price_2' }, /context stripePriceIds: plan starter is given twice/],
    [{ paymentProvider: 'stripe' }, /context stripePriceIds: required with paymentProvider=stripe/],
    [{ paymentProvider: 'local', stripePriceIds: 'starter:price_1' }, /context stripePriceIds: only used with paymentProvider=stripe/],
    [{ stripePriceId: 'starter:price_1' }, /context stripePriceId: not a setting of this stack/],
  ])('fails the synth naming it: %j', (context, message) => {
    expect(read(context)).toThrow(message);
  });

  it('reads a valid list, normalised', () => {
    expect(read({ paymentProvider: 'stripe', stripePriceIds: ' business:price_B , enterprise:price_E' })()).toMatchObject({
      paymentProvider: 'stripe',
      stripePriceIds: 'business:price_B,enterprise:price_E',
    });
  });
});
