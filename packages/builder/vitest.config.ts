import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'builder', include: ['test/**/*.test.ts'] },
});
