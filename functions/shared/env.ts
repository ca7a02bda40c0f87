// Typed, validated environment for Lambda entry files. Read at module scope, so a function that
// lacks its configuration fails at cold start with a message naming the variable.
import { getNumberFromEnv, getStringFromEnv } from '@aws-lambda-powertools/commons/utils/env';

export const requiredEnv = (key: string, what: string): string =>
  getStringFromEnv({ key, errorMessage: `Environment variable ${key} is required: ${what}` });

export const optionalEnv = (key: string, defaultValue: string): string => getStringFromEnv({ key, defaultValue });

export const numberEnv = (key: string, defaultValue: number): number =>
  getNumberFromEnv({ key, defaultValue, errorMessage: `Environment variable ${key} must be a number` });

export type Settings = Readonly<Record<string, string | undefined>>;

/**
 * Typed reads of a service's settings (the function's environment on AWS, the local platform's or a
 * test's own values elsewhere). A missing or mistyped one throws naming the setting, at cold start.
 */
export function settingsOf(settings: Settings) {
  return {
    required(key: string, what: string): string {
      const value = settings[key];
      if (!value) throw new Error(`Setting ${key} is required: ${what}`);
      return value;
    },
    oneOf<T extends string>(key: string, allowed: readonly T[], defaultValue: T): T {
      const value = settings[key] || defaultValue;
      if (!(allowed as readonly string[]).includes(value)) throw new Error(`Setting ${key} must be one of ${allowed.join(', ')}, not "${value}"`);
      return value as T;
    },
  };
}
