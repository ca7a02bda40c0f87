// Typed, validated environment for Lambda entry files. Read at module scope, so a function that
// lacks its configuration fails at cold start with a message naming the variable.
import { getNumberFromEnv, getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';

export const requiredEnv = (key: string, what: string): string =>
  getStringFromEnv({ key, errorMessage: `Environment variable ${key} is required: ${what}` });

export const optionalEnv = (key: string, defaultValue: string): string => getStringFromEnv({ key, defaultValue });

export const numberEnv = (key: string, defaultValue: number): number =>
  getNumberFromEnv({ key, defaultValue, errorMessage: `Environment variable ${key} must be a number` });
