import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure code, no services, runs in parallel) and `integration`
 * (`*.int.test.ts`: real OpenSearch, the moto AWS emulator, real Chromium — started by the
 * global setup when not already running, stopped afterwards if it started them).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**', '**/cdk.out/**'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', '**/cdk.out/**'],
          environment: 'node',
          globalSetup: ['test/services/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
