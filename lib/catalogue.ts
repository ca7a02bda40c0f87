// The single list of platform services. The CDK stack builds one Lambda + table per entry;
// the local platform creates the same tables in DynamoDB Local and wires the same handlers.
// Adding a service is one entry here (plus its folder under functions/services and its contract).

export interface TableIndex {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

export interface ServiceEntry {
  /** Connector name, also the suffix of env vars such as HOSTING_FUNCTION_NAME. */
  readonly name: string;
  /** Handler entry file, relative to the repository root (exports `handler`). */
  readonly entry: string;
  /** Env var through which the handler learns its table name. */
  readonly tableEnv: string;
  /** Every table uses string keys `pk` + `sk`; indexes project all attributes. */
  readonly indexes: readonly TableIndex[];
}

export const SERVICES = [
  {
    name: 'hosting',
    entry: 'functions/services/hosting/handler.ts',
    tableEnv: 'HOSTING_TABLE',
    // Every Hosting read is by tenant partition; platform-wide domain uniqueness uses a claim item, not an index.
    indexes: [],
  },
  {
    name: 'identity',
    entry: 'functions/services/identity/handler.ts',
    tableEnv: 'IDENTITY_TABLE',
    indexes: [],
  },
  {
    name: 'billing',
    entry: 'functions/services/billing/handler.ts',
    tableEnv: 'BILLING_TABLE',
    indexes: [],
  },
] as const satisfies readonly ServiceEntry[];

export type ServiceName = (typeof SERVICES)[number]['name'];

export const EXECUTE_ENTRY = 'functions/execute/handler.ts';

/** Env var that carries a service's function name to the execute Lambda (and to the connector loader). */
export const functionNameEnv = (service: string): string => `${service.toUpperCase()}_FUNCTION_NAME`;
