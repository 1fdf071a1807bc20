// An erasure leaves none of the person's bytes in SQLite's files: not in the pages its rows were
// deleted from, not in free pages, not in the write-ahead log. (PostgreSQL keeps dead rows until
// vacuum: docs/operations.md says what to run there.)
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/connect.js';
import { ensureWorkspace } from '../../src/engine/workspaces.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { eraseCustomer } from '../../src/engine/erasure.js';
import { createCustomField } from '../../src/engine/fields.js';
import { ingestEvents } from '../../src/engine/ingest.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { TestClock } from '../support/stores.js';

const MARKS = ['旧名字甲乙', '雷霆万钧', 'thunderclap-person', '13977776666', 'thunder@example.com', '紫金山路九十九号'];

describe('erasing a customer on SQLite', () => {
  let store: Store | undefined;
  let directory = '';
  afterEach(async () => {
    await store?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('leaves none of their text in the database file or its log', async () => {
    directory = mkdtempSync(join(tmpdir(), 'tagbase-erasure-'));
    const file = join(directory, 't.db');
    store = await openStore(file);
    await store.migrate();
    const clock = new TestClock();
    const workspaceId = await ensureWorkspace(store, 'shop', '店', clock.now);
    const context = { store, workspaceId, workspaceKey: 'shop', actor: 'tester', now: clock.now };
    await createCustomField(context, { key: 'address', name: '地址', type: 'string' });
    const others = Array.from({ length: 300 }, (_, k) => ({ id: `O${k}`, name: `顾客${k}`, city: '杭州', identities: [{ kind: 'phone', value: `1380000${String(k).padStart(4, '0')}` }] }));
    await upsertCustomers(context, others);
    // A first name and number, changed since: the older text was never deleted, only replaced.
    await upsertCustomers(context, [{ id: 'thunderclap-person', name: '旧名字甲乙', identities: [{ kind: 'phone', value: '13977776666' }, { kind: 'email', value: 'thunder@example.com' }], custom: { address: '紫金山路九十九号' } }]);
    // The server's index snapshot holds names too; the one replaced is left in free pages.
    const registry = new IndexRegistry(undefined, { snapshots: true });
    await registry.get(context);
    expect(await registry.saveSnapshot(context)).toMatchObject({ parts: 1 });
    await upsertCustomers(context, [{ id: 'thunderclap-person', name: '雷霆万钧' }]);
    await registry.get(context);
    expect(await registry.saveSnapshot(context)).toMatchObject({ parts: 1 });
    await ingestEvents(context, Array.from({ length: 40 }, (_, k) => ({ id: `e${k}`, customer_id: 'thunderclap-person', type: 'page_viewed', occurred_at: clock.now().toISOString(), properties: { url: `/p/${k}`, note: `雷霆万钧 ${k}`, page: '紫金山路九十九号' } })));
    const before = bytesOf(file);
    for (const mark of MARKS) expect(before.includes(Buffer.from(mark)), mark).toBe(true);
    await eraseCustomer(context, 'thunderclap-person');
    const after = bytesOf(file);
    for (const mark of MARKS) expect(after.includes(Buffer.from(mark)), mark).toBe(false);
    // Others' rows stay readable.
    expect(after.includes(Buffer.from('顾客299'))).toBe(true);
  });
});

/** The database, its write-ahead log and shared memory, as one buffer. */
function bytesOf(file: string): Buffer {
  return Buffer.concat(['', '-wal', '-shm'].filter((suffix) => existsSync(`${file}${suffix}`)).map((suffix) => readFileSync(`${file}${suffix}`)));
}
