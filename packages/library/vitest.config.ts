import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'library', include: ['test/**/*.test.ts'] },
});
