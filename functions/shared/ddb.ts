// The DynamoDB document client, created once per container. The SDK honours
// AWS_ENDPOINT_URL_DYNAMODB, which is how the local platform points it at DynamoDB Local.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from './sdk-tracing.ts';

export const createDocumentClient = (client: DynamoDBClient = traced(new DynamoDBClient({}))): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
