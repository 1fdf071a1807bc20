import { describe, expect, it } from 'vitest';
import * as locks from '../../src/store/advisory-locks.js';

describe('advisory locks', () => {
  it('gives every kind of work a key of its own, so that none waits for another it does not conflict with', () => {
    const keys = Object.values(locks);
    expect(keys.length).toBeGreaterThan(3);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
