import { inProcessTransport } from '#connectors/base';
import { createHostingConnector } from '#connectors/hosting/index';
import { createHostingService } from '#functions/services/hosting/service';
import { createLogger } from '#functions/shared/logger';
import { localDocumentClient, localTable } from '../support/local-dynamo.ts';
import { describeHostingContract } from '../support/hosting-contract-suite.ts';

describeHostingContract('managed, in-process transport, DynamoDB Local', (dns) => {
  const handler = createHostingService({ db: localDocumentClient(), tableName: localTable('HOSTING_TABLE'), dns, logger: createLogger('hosting-test') });
  return { connector: createHostingConnector(inProcessTransport(handler, 'hosting')) };
});
