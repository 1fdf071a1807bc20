import { describe, expect, it } from 'vitest';
import { WorkerRequests } from '../../src/engine/worker-requests.js';

describe('worker requests', () => {
  it('settles each request by the id its reply names, in any order', async () => {
    const requests = new WorkerRequests<string>();
    const a = requests.open();
    const b = requests.open();
    expect(a.id).not.toBe(b.id);
    requests.resolve(b.id, 'second');
    requests.reject(a.id, new Error('first failed'));
    await expect(b.reply).resolves.toBe('second');
    await expect(a.reply).rejects.toThrow('first failed');
    // A reply for a request already settled, or never made, changes nothing.
    requests.resolve(a.id, 'late');
    requests.resolve(99, 'unknown');
    expect(requests.failure).toBeUndefined();
  });

  it('fails every waiting request and every later one with the first reason', async () => {
    const requests = new WorkerRequests<number>();
    const waiting = requests.open();
    requests.fail(new Error('the thread stopped'));
    requests.fail(new Error('stopped again'));
    await expect(waiting.reply).rejects.toThrow('the thread stopped');
    await expect(requests.open().reply).rejects.toThrow('the thread stopped');
    expect(requests.failure?.message).toBe('the thread stopped');
  });
});
