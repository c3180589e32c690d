import { defineConfig } from 'vitest/config';

// One project per package plus the cross-package suite in test/; `pnpm test:unit` runs them all.
export default defineConfig({
  test: {
    projects: ['packages/*', 'test'],
    reporters: process.env.CI ? ['default'] : ['default'],
    typecheck: { enabled: false },
  },
});
