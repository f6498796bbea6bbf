import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the "pushwire-source" condition and dist/ otherwise:
// tests always run the sources (no build needed). Vitest resolves with `ssr.resolve` (and hands the same
// conditions to its worker processes); `resolve` covers the client side for completeness.
const sources = {
  resolve: { conditions: ['pushwire-source'] },
  ssr: { resolve: { conditions: ['pushwire-source'] } },
};

// Unit tests sit beside the code; cross-service tests (real Redis, emulators, child processes) under test/.
export default defineConfig({
  test: {
    projects: [
      {
        ...sources,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'test/golden/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        ...sources,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        ...sources,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        ...sources,
        test: {
          name: 'deploy',
          include: ['test/deploy/**/*.test.ts'],
          // Some of these tests run the compiled code (dist/), as the image and the systemd unit do.
          globalSetup: ['test/deploy/build-workspace.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
