import { defineConfig } from 'vitest/config';

/** Files that replace a module with vi.mock: the sources they import must be loaded afresh for them. */
const MOCKING_MODULES = ['test/index/build-read-ahead.test.ts'];

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
        // Two files at a time, a pool shared with the browser's files (one pool per group order,
        // so both projects name the same count): on two cores Vitest would run one (one fewer than
        // there are cores), and most files wait on a store, a child process or a browser for much
        // of their time. Measured, the pool takes the browser's files first and these after them.
        // One process runs file after file without loading the sources again for each: loading them
        // was nearly a third of these files' CPU. A file that replaces a module (vi.mock) runs on its own.
        test: { name: 'store, engine, API and command', include: ['test/**/*.test.ts'], exclude: ['test/web/**', ...MOCKING_MODULES], maxWorkers: 2, isolate: false, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        // Two processes, each running browser file after browser file: every file starts its own
        // server and browser, so none leans on another's state, and the sources (the whole engine
        // behind the server) are loaded once per process rather than once per file.
        test: { name: 'console in a browser', include: ['test/web/**/*.test.ts'], maxWorkers: 2, isolate: false, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'modules replaced', include: MOCKING_MODULES, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
