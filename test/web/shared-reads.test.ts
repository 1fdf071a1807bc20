// The console's reads of one path by one session share a request while it is under way, and only then.
import { describe, expect, it } from 'vitest';
import { forgetReads, sharedRead } from '../../web/src/modules/app/utils/sharedReads.js';

/** A read that answers when told to, counting how often it was started. */
function reads() {
  const started: ((value: string) => void)[] = [];
  const start = () => new Promise<string>((resolve) => started.push(resolve));
  return { started, start };
}

describe('reads shared while under way', () => {
  it('sends concurrent reads of one key once, and starts anew once it answered, on a reload or after a write', async () => {
    const { started, start } = reads();
    const first = sharedRead('["default","","en-US",null,"/models"]', start);
    const second = sharedRead('["default","","en-US",null,"/models"]', start);
    expect(started).toHaveLength(1);
    // Another session or path is another read.
    void sharedRead('["default","","zh-CN",null,"/models"]', start);
    expect(started).toHaveLength(2);
    started[0]?.('models');
    expect(await Promise.all([first, second])).toEqual(['models', 'models']);
    // Answered: nothing is kept, the next read asks again (the Models page enabled a model since).
    const later = sharedRead('["default","","en-US",null,"/models"]', start);
    expect(started).toHaveLength(3);
    // A reload does not take the read under way; those after it share the reload's.
    const reloaded = sharedRead('["default","","en-US",null,"/models"]', start, true);
    expect(started).toHaveLength(4);
    const afterReload = sharedRead('["default","","en-US",null,"/models"]', start);
    expect(started).toHaveLength(4);
    started[3]?.('fresh');
    started[2]?.('old');
    expect(await Promise.all([later, reloaded, afterReload])).toEqual(['old', 'fresh', 'fresh']);
    // A write forgets the reads under way: one after it asks the server again.
    void sharedRead('["default","","en-US",null,"/tags"]', start);
    forgetReads();
    void sharedRead('["default","","en-US",null,"/tags"]', start);
    expect(started).toHaveLength(6);
  });

  it('shares a refusal with every reader and keeps none', async () => {
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(new Error('refused'));
    };
    await expect(Promise.all([sharedRead('k', failing), sharedRead('k', failing)])).rejects.toThrow('refused');
    await expect(sharedRead('k', failing)).rejects.toThrow('refused');
    expect(calls).toBe(2);
  });
});
