// What every contract suite shares: the two tables a suite runs on, the services built over them in
// process (the same JSON boundary Lambda has), fresh callers, and error helpers. Each test uses fresh
// tenant ids: no cleanup needed.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { ServiceName } from '#connectors/contracts/registry';
import { PlatformError, type CallContext } from '#connectors/contracts/wire';
import type { ConnectorBundle } from '#connectors/loader';
import { createInProcessConnectors } from '#functions/services/in-process';
import { createDynamoTable } from '#functions/shared/dynamo-table';
import { createMemoryTable } from '#functions/shared/memory-table';
import type { Table } from '#functions/shared/table';
import { localDocumentClient } from './local-dynamo.ts';

export const TABLE_KINDS = ['memory', 'DynamoDB Local'] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

/** A service's table of the given kind: a fresh memory table, or the run's DynamoDB Local table. */
export function tableOf(kind: TableKind, service: ServiceName): Table {
  return kind === 'memory' ? createMemoryTable() : createDynamoTable(localDocumentClient(), inject('tables')[service]!);
}

/** The connector of one service built over a table of `kind`, with its outside world replaced by `adapters`. */
export async function connectorOn<S extends ServiceName>(service: S, kind: TableKind, adapters?: object): Promise<ConnectorBundle[S]> {
  const bundle = await createInProcessConnectors({ table: (name) => tableOf(kind, name), adapters: { [service]: adapters } });
  return bundle[service];
}

const shortId = () => randomUUID().slice(0, 8);
export const newTenant = () => `t-${shortId()}`;

/** A caller of `tenantId` with the stored roles the runtime would have resolved. */
export const callerOf = (tenantId: string, userId = `u-${shortId()}`, roles: string[] = ['member']): CallContext => ({
  tenantId,
  userId,
  roles,
  correlationId: randomUUID(),
});
/** A caller of a fresh tenant. */
export const tenantContext = (tenantId = newTenant(), roles: string[] = ['admin']): CallContext => callerOf(tenantId, undefined, roles);

/** The PlatformError of a rejected call (fails the test if the call succeeded). */
export async function errorOf(promise: Promise<unknown>): Promise<PlatformError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome instanceof PlatformError) return outcome;
  throw new Error(outcome === undefined ? 'expected the call to fail' : `expected a PlatformError, got ${String(outcome)}`);
}

/** The PlatformError code of a call, or 'OK' if it succeeded. */
export const codeOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'OK',
    (error: unknown) => {
      if (error instanceof PlatformError) return error.code;
      throw error;
    },
  );
