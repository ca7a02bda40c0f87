// A document client on the test run's DynamoDB Local.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient } from '#functions/shared/ddb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local';

export const localDocumentClient = () =>
  createDocumentClient(new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
