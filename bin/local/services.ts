// How the local platform builds each catalogue service's real handler. One line per service,
// like the catalogue itself; the handlers are the same factories the Lambda entries use.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ServiceHandler } from '#connectors/base';
import type { ServiceKey } from '#connectors/loader';
import { localPayments } from '#functions/services/billing/payments';
import { createBillingService } from '#functions/services/billing/service';
import type { CertificateIssuer, TxtResolver } from '#functions/services/hosting/operations';
import { createHostingService } from '#functions/services/hosting/service';
import { createIdentityService } from '#functions/services/identity/service';
import { createLogger } from '#functions/shared/logger';

export interface LocalServiceDeps {
  db: DynamoDBDocumentClient;
  /** `{ [tableEnv]: tableName }` from createTables. */
  tables: Record<string, string>;
  dns: TxtResolver;
  certificates: CertificateIssuer;
  /** The local payment provider's confirmation page. */
  checkoutUrl: string;
}

export const LOCAL_SERVICES: Record<ServiceKey, (deps: LocalServiceDeps) => ServiceHandler> = {
  hosting: ({ db, tables, dns, certificates }) =>
    createHostingService({ db, tableName: tables.HOSTING_TABLE!, dns, certificates, logger: createLogger('hosting') }),
  identity: ({ db, tables }) => createIdentityService({ db, tableName: tables.IDENTITY_TABLE!, logger: createLogger('identity') }),
  billing: ({ db, tables, checkoutUrl }) =>
    createBillingService({ db, tableName: tables.BILLING_TABLE!, payments: localPayments(checkoutUrl), logger: createLogger('billing') }),
};
