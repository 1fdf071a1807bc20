import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest runs one file fewer than there are cores: on the 2-core machines the suite targets
    // that is one file at a time, with a core idle through every browser wait, spawned command
    // and PostgreSQL round trip. Two at a time use both.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // expect.poll waits 1 s by default: too short for a live count in the browser while other files load both cores.
    expect: { poll: { timeout: 30_000 } },
  },
});
