import { defineConfig } from 'vitest/config';

// The AWS SDK warns on Node 20 about future releases; the global setup runs in this process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One DynamoDB Local for the whole run (integration, contract and e2e tests use it).
    globalSetup: ['test/support/dynamodb-global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
