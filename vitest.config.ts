import { defineConfig } from 'vitest/config';

// The AWS SDK warns on Node 20 about future releases; the global setup runs in this process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      // Needs nothing but Node: `npm run test:unit`.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/infra/**/*.test.ts'] } },
      // One DynamoDB Local (Java 17+) for the whole run; the browser tests also need Chromium.
      {
        extends: true,
        test: {
          name: 'dynamodb',
          include: ['test/{integration,contract,e2e,browser}/**/*.test.ts'],
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
        },
      },
    ],
  },
});
