// Starts one in-memory DynamoDB Local for the whole test run and creates the registry's tables.
// Tests reach it with inject('dynamoEndpoint') and inject('tables').
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TestProject } from 'vitest/node';
import { JavaMissingError, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '#local/dynamodb-local';
import { createTables } from '#local/tables';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    tables: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const ddb = await startDynamoDbLocal({ dataDir: '', inMemory: true }).catch((error: unknown) => {
    if (!(error instanceof JavaMissingError)) throw error;
    throw new Error(
      'The integration, contract, end-to-end and browser tests need DynamoDB Local, which needs Java 17+ ' +
        '(apt-get install -y openjdk-17-jdk-headless). `npm run test:unit` runs the tests that need only Node.',
    );
  });
  const client = new DynamoDBClient({ endpoint: ddb.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const tables = await createTables(client, 'test');
  client.destroy();
  project.provide('dynamoEndpoint', ddb.endpoint);
  project.provide('tables', tables);
  return () => ddb.stop();
}
