// The one registry of platform services. The CDK stack builds a Lambda + table per entry, the connector
// bundle (and its type) has a client per entry, the execute function learns each function's name, and
// the local platform and mock mode build each service from `functions/services/<name>/service.ts`.
// Adding a service: one entry here, its contract beside this file, its folder under functions/services.
import { billingContract } from './billing.ts';
import { communityContract } from './community.ts';
import type { Contract } from './contract.ts';
import { discoveryContract } from './discovery.ts';
import { fundingContract } from './funding.ts';
import { growthContract } from './growth.ts';
import { hostingContract } from './hosting.ts';
import { identityContract } from './identity.ts';
import { socialContract } from './social.ts';

/** A global secondary index of a service's table: string keys, every attribute projected. */
export interface TableIndex {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

/** Values of the stack a service's settings may be made of. */
export interface StackValues {
  /** Billing's payment provider (`none`, `local` or `stripe`). */
  readonly paymentProvider: string;
  /** The plugins site's URL. */
  readonly siteUrl: string;
  /** With `stripe`: the secret holding the API key and webhook signing secret, and the plans' price ids (`plan:price_id,...`). */
  readonly stripe?: { readonly secretArn: string; readonly priceIds: string };
}

export interface ServiceEntry {
  readonly contract: Contract;
  /** Its table's indexes (every table has string keys `pk` + `sk`). */
  readonly indexes: readonly TableIndex[];
  /** How Lambda treats its asynchronous (Event) invokes: how often to retry, and a queue for the ones that fail. */
  readonly asyncInvokes?: { readonly retryAttempts: 0 | 1 | 2; readonly failureQueue: boolean };
  /** Settings (environment) the stack gives its function, besides TABLE_NAME. */
  readonly settings?: (stack: StackValues) => Record<string, string>;
}

export const SERVICES = {
  hosting: {
    contract: hostingContract,
    // Every read is by tenant partition; platform-wide domain uniqueness uses a claim item, not an index.
    indexes: [],
  },
  identity: { contract: identityContract, indexes: [] },
  billing: {
    contract: billingContract,
    indexes: [],
    // Metering events are additions: a retried event could count twice, so none is retried, and one
    // that fails waits in a queue for an operator to replay (README, "Operating").
    asyncInvokes: { retryAttempts: 0, failureQueue: true },
    settings: ({ paymentProvider, siteUrl, stripe }) => ({
      PAYMENT_PROVIDER: paymentProvider,
      BILLING_CHECKOUT_URL: `${siteUrl}/checkout`,
      ...(stripe && { STRIPE_SECRET_ARN: stripe.secretArn, STRIPE_PRICE_IDS: stripe.priceIds }),
    }),
  },
  discovery: {
    contract: discoveryContract,
    // Platform-wide search uses index items (word-prefix, category, tag and all-listings partitions), not a GSI.
    indexes: [],
  },
  social: { contract: socialContract, indexes: [] },
  community: { contract: communityContract, indexes: [] },
  growth: { contract: growthContract, indexes: [] },
  funding: { contract: fundingContract, indexes: [] },
} as const satisfies Record<string, ServiceEntry>;

export type Services = typeof SERVICES;
export type ServiceName = keyof Services;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/** Env var that carries a service's function name to the execute function. */
export const functionNameEnv = (service: string): string => `${service.toUpperCase()}_FUNCTION_NAME`;
