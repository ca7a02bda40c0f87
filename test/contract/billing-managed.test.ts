import { inProcessTransport } from '#connectors/base';
import { createBillingConnector } from '#connectors/billing/index';
import { createBillingService } from '#functions/services/billing/service';
import { createLogger } from '#functions/shared/logger';
import { localDocumentClient, localTable } from '../support/local-dynamo.ts';
import { describeBillingContract } from '../support/billing-contract-suite.ts';

describeBillingContract('managed, in-process transport, DynamoDB Local', ({ payments, now }) => {
  const handler = createBillingService({ db: localDocumentClient(), tableName: localTable('BILLING_TABLE'), payments, now, logger: createLogger('billing-test') });
  return { connector: createBillingConnector(inProcessTransport(handler, 'billing')) };
});
