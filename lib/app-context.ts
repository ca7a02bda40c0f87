// What `cdk -c key=value` (or cdk.json "context") can set: every setting that differs between stages,
// typed, documented and defaulted in one table (CONTEXT_SETTINGS). Read here rather than in bin/app.ts
// so the tests exercise the same mapping from context to stack props. A value of the wrong type or
// outside its choices fails the synth with a message naming the key; so does an unknown key that looks
// like one of ours (a typo such as `paymentProvder`).
import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { PAID_PLANS, parsePriceIds } from '#connectors/contracts/billing';
import { parseOrigins } from '#connectors/contracts/wire';
import type { PlatformAuthProps } from './auth.ts';

export const PAYMENT_PROVIDERS = ['none', 'local', 'stripe'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

/** The retention periods CloudWatch Logs accepts, in days. */
const RETENTION_DAYS = Object.values(logs.RetentionDays).filter((days): days is number => typeof days === 'number' && days > 0);

type Parsed = string | number | boolean | readonly string[] | undefined;
interface Setting<T extends Parsed> {
  /** What it does, with its default: printed in errors and kept in sync with the README table. */
  readonly doc: string;
  readonly parse: (raw: string, key: string) => T;
  readonly fallback: T;
}

const fail = (key: string, expected: string, raw: string): never => {
  throw new Error(`context ${key}: expected ${expected}, got "${raw}"`);
};
const text = (doc: string, fallback?: string, pattern?: RegExp, expected = 'text'): Setting<string | undefined> => ({
  doc,
  fallback,
  parse: (raw, key) => (pattern && !pattern.test(raw) ? fail(key, expected, raw) : raw),
});
const oneOf = <const C extends readonly string[]>(doc: string, choices: C, fallback: C[number]): Setting<C[number]> => ({
  doc,
  fallback,
  parse: (raw, key) => ((choices as readonly string[]).includes(raw) ? (raw as C[number]) : fail(key, `one of ${choices.join(', ')}`, raw)),
});
const flag = (doc: string, fallback: boolean): Setting<boolean> => ({
  doc,
  fallback,
  parse: (raw, key) => (raw === 'true' ? true : raw === 'false' ? false : fail(key, 'true or false', raw)),
});
const integer = (doc: string, fallback: number, min: number, max: number, allowed?: readonly number[]): Setting<number> => ({
  doc,
  fallback,
  parse: (raw, key) => {
    const value = Number(raw);
    const ok = /^\d+$/.test(raw) && value >= min && value <= max && (!allowed || allowed.includes(value));
    return ok ? value : fail(key, allowed ? `one of ${allowed.join(', ')}` : `a whole number from ${min} to ${max}`, raw);
  },
});

/** Every context value, its type, default and meaning. */
export const CONTEXT_SETTINGS = {
  stackName: text('the CloudFormation stack name (one per stage)', 'MozaiksPlatform', /^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a stack name (letters, digits, -)'),
  nag: flag('run the cdk-nag AwsSolutions and ServerlessChecks packs at synth', true),
  paymentProvider: oneOf(
    "Billing's payment provider: none never completes a checkout; local approves every payment (demo stacks only); stripe sells plans through Stripe Checkout (with stripePriceIds)",
    PAYMENT_PROVIDERS,
    'none',
  ),
  stripePriceIds: {
    doc: `the Stripe price of each plan sold, as plan:price_id pairs separated by commas (plans: ${PAID_PLANS.join(', ')}); needed with paymentProvider=stripe`,
    fallback: undefined,
    // Normalised (no spaces), so the function's setting is the same whatever the spelling.
    parse: (raw: string, key: string) =>
      Object.entries(parsePriceIds(raw, `context ${key}`))
        .map(([plan, price]) => `${plan}:${price}`)
        .join(','),
  } satisfies Setting<string | undefined>,
  corsOrigins: {
    doc: 'comma-separated browser origins allowed besides the plugins site',
    fallback: [] as readonly string[],
    parse: (raw: string, key: string) => parseOrigins(raw, `context ${key}`),
  } satisfies Setting<readonly string[]>,
  throttleRateLimit: integer('steady requests per second on the API stage', 100, 1, 10_000),
  throttleBurstLimit: integer('burst of requests on the API stage', 200, 1, 5_000),
  logRetentionDays: integer('days every function and API log is kept', 30, 1, 3653, RETENTION_DAYS),
  memoryMb: integer('memory of every Lambda function (MB; CPU grows with it)', 512, 128, 10_240),
  removalPolicy: oneOf('what happens to tables, the user pool and buckets when they leave the stack: retain (prod) or destroy (dev stages)', ['retain', 'destroy'], 'retain'),
  xrayTracing: flag('X-Ray active tracing of every function (Lambda samples 1 request a second and 5% of the rest; about $0.25 per million actions at volume, see Performance)', true),
  sdkTracing: flag('X-Ray subsegments for every AWS SDK call (Powertools Tracer); adds to each cold start; needs xrayTracing', false),
  canary: flag('release through CodeDeploy: 10% of calls for 5 minutes on the new version, rolled back on the alarms', false),
  alarmEmail: text('e-mail address the alarms are sent to (an SNS subscription to confirm once)', undefined, /^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an e-mail address'),
  oidcIssuer: text('an external OIDC issuer instead of the Cognito user pool (with oidcAudience)', undefined, /^https:\/\/\S+$/, 'an https URL'),
  oidcAudience: text("the external issuer's aud for the platform", undefined),
  oidcClientId: text("the external issuer's public client for the UIs (default oidcAudience)", undefined),
  oidcTenantClaim: text('claim holding the tenant (default tenantId)', undefined),
  oidcRolesClaim: text('claim holding the roles (default roles)', undefined),
  oidcJwksUri: text('the external issuer JWKS URL (default <issuer>/.well-known/jwks.json)', undefined, /^https:\/\/\S+$/, 'an https URL'),
  threatProtection: oneOf('Cognito threat protection: off, audit or full (needs the Plus feature plan, billed per user)', ['off', 'audit', 'full'], 'off'),
  authDomainPrefix: text('prefix of the Cognito hosted sign-in domain (default <stack name>-<account>)', undefined, /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and -'),
} as const;

export type ContextKey = keyof typeof CONTEXT_SETTINGS;

export interface PlatformAppSettings {
  readonly stackName: string;
  readonly nag: boolean;
  readonly auth: PlatformAuthProps;
  readonly paymentProvider: PaymentProviderName;
  /** With `stripe`: `plan:price_id,...`, checked against the plans. */
  readonly stripePriceIds: string | undefined;
  readonly corsOrigins: readonly string[];
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly logRetention: logs.RetentionDays;
  readonly memoryMb: number;
  readonly removalPolicy: RemovalPolicy;
  readonly alarmEmail: string | undefined;
  readonly canary: boolean;
  readonly xrayTracing: boolean;
  readonly sdkTracing: boolean;
}

/** Keys CDK itself (or its feature flags) puts in the context: not ours to check. */
const isCdkKey = (key: string) => key.includes(':') || key.startsWith('@') || key.startsWith('aws-cdk');

export function readAppContext(scope: IConstruct): PlatformAppSettings {
  const node = scope.node;
  for (const key of Object.keys(readAll(scope))) {
    if (!isCdkKey(key) && !(key in CONTEXT_SETTINGS)) {
      throw new Error(`context ${key}: not a setting of this stack; the settings are ${Object.keys(CONTEXT_SETTINGS).join(', ')}`);
    }
  }
  const value = <K extends ContextKey>(key: K): ReturnType<(typeof CONTEXT_SETTINGS)[K]['parse']> | (typeof CONTEXT_SETTINGS)[K]['fallback'] => {
    const raw: unknown = node.tryGetContext(key);
    const setting = CONTEXT_SETTINGS[key];
    if (raw === undefined || raw === null || raw === '') return setting.fallback;
    return setting.parse(String(raw), key) as never;
  };
  const settings = {
    stackName: value('stackName') as string,
    nag: value('nag'),
    paymentProvider: value('paymentProvider'),
    stripePriceIds: value('stripePriceIds'),
    corsOrigins: value('corsOrigins'),
    throttleRateLimit: value('throttleRateLimit'),
    throttleBurstLimit: value('throttleBurstLimit'),
    logRetention: value('logRetentionDays') as logs.RetentionDays,
    memoryMb: value('memoryMb'),
    removalPolicy: value('removalPolicy') === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    alarmEmail: value('alarmEmail'),
    canary: value('canary'),
    xrayTracing: value('xrayTracing'),
    sdkTracing: value('sdkTracing'),
    auth: {
      oidcIssuer: value('oidcIssuer'),
      oidcAudience: value('oidcAudience'),
      oidcTenantClaim: value('oidcTenantClaim'),
      oidcRolesClaim: value('oidcRolesClaim'),
      oidcJwksUri: value('oidcJwksUri'),
      oidcClientId: value('oidcClientId'),
      domainPrefix: value('authDomainPrefix'),
      threatProtection: value('threatProtection'),
    },
  };
  if (settings.paymentProvider === 'stripe' && settings.stripePriceIds === undefined) {
    throw new Error('context stripePriceIds: required with paymentProvider=stripe (e.g. starter:price_123,premium:price_456)');
  }
  if (settings.paymentProvider !== 'stripe' && settings.stripePriceIds !== undefined) {
    throw new Error(`context stripePriceIds: only used with paymentProvider=stripe, not ${settings.paymentProvider}`);
  }
  if (settings.throttleBurstLimit < settings.throttleRateLimit) {
    throw new Error(`context throttleBurstLimit: expected at least throttleRateLimit (${settings.throttleRateLimit}), got "${settings.throttleBurstLimit}"`);
  }
  return settings;
}

/** Every context value set (cdk.json, `-c`, the App's constructor). */
function readAll(scope: IConstruct): Record<string, unknown> {
  // `node.getAllContext()` merges the App's context with cdk.json's and the CLI's.
  return scope.node.getAllContext();
}
