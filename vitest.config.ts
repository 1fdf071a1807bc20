import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The command's tests run the real binary many times: compiled once here, it starts in half the CPU.
    globalSetup: ['test/support/compiled-command.ts'],
    // expect.poll waits 1 s by default: too short for a live count in the browser while other files load both cores.
    expect: { poll: { timeout: 30_000 } },
  },
});
