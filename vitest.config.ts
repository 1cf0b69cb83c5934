import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));
const packages = readdirSync(packagesDir, { withFileTypes: true }).filter((entry) => entry.isDirectory());

// Tests import the workspace packages from their TypeScript sources: no build needed to test.
const alias = [
  { find: '@otpkit/core/testing', replacement: `${packagesDir}core/src/testing/index.ts` },
  ...packages.map(({ name }) => ({ find: new RegExp(`^@otpkit/${name}$`), replacement: `${packagesDir}${name}/src/index.ts` })),
];

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
