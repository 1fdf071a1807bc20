import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The command's tests run the real binary many times: compiled once here, it starts in half the CPU.
    globalSetup: ['test/support/compiled-command.ts'],
    // expect.poll waits 1 s by default: too short for a live count in the browser while other files load both cores.
    expect: { poll: { timeout: 30_000 } },
    projects: [
      {
        extends: true,
        // Two files at a time: on two cores Vitest would run one (one fewer than there are cores),
        // and most of these files wait on a store or a child process for much of their time.
        test: { name: 'store, engine, API and command', include: ['test/**/*.test.ts'], exclude: ['test/web/**'], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        // The browser's files one at a time, after the others: a click in a real Chromium competing
        // with another file for both cores can land while the page is still moving.
        test: { name: 'console in a browser', include: ['test/web/**/*.test.ts'], maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
