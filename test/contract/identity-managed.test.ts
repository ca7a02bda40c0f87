import { inProcessTransport } from '#connectors/base';
import { createIdentityConnector } from '#connectors/identity/index';
import { createIdentityService } from '#functions/services/identity/service';
import { createLogger } from '#functions/shared/logger';
import { localDocumentClient, localTable } from '../support/local-dynamo.ts';
import { describeIdentityContract } from '../support/identity-contract-suite.ts';

describeIdentityContract('managed, in-process transport, DynamoDB Local', () => {
  const handler = createIdentityService({ db: localDocumentClient(), tableName: localTable('IDENTITY_TABLE'), logger: createLogger('identity-test') });
  return { connector: createIdentityConnector(inProcessTransport(handler, 'identity')) };
});
