// The share of a recompute chunk handed to the worker: both threads should take as long per chunk.
import { describe, expect, it } from 'vitest';
import { ChunkSplit } from '../../src/engine/chunk-split.js';

describe('chunk split between the worker and the main thread', () => {
  it('starts at three quarters, then balances what both threads take', () => {
    const split = new ChunkSplit();
    expect(split.asideCount(1000)).toBe(750);
    // The worker's first two chunks (code not yet compiled) are not taken as its speed.
    split.workerTook(750, 300);
    split.workerTook(750, 300);
    split.workerTook(750, 45);
    // 250 recomputed here in 15 ms, and 40 ms for the rest of a 1,000-customer transaction.
    split.chunkTook(1000, 55, 250, 15);
    // 0.06·k = 0.04·1000 + 0.06·(1000 − k)
    expect(split.asideCount(1000)).toBe(833);
  });

  it('hands everything to the worker when this thread is the slower one, and never less than a quarter', () => {
    const split = new ChunkSplit();
    for (let k = 0; k < 3; k++) split.workerTook(500, 5);
    split.chunkTook(1000, 500, 500, 50);
    expect(split.asideCount(1000)).toBe(1000);
    const slowWorker = new ChunkSplit();
    for (let k = 0; k < 3; k++) slowWorker.workerTook(500, 500);
    slowWorker.chunkTook(1000, 10, 500, 5);
    expect(slowWorker.asideCount(1000)).toBe(250);
  });
});
