// An export reads its members' rows a batch at a time after counting them once: customers erased
// or merged into another while it runs are left out, nobody is written twice, and the export log
// says how many rows were written.
import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { loadWorkspaceCatalog } from '../../src/engine/catalog.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { eraseCustomer } from '../../src/engine/erasure.js';
import { listExports, logExport } from '../../src/engine/export-log.js';
import { mergeCustomers } from '../../src/engine/merge.js';
import { exportMembers } from '../../src/engine/segment-members.js';
import { assignTag } from '../../src/engine/tagging.js';
import { defineTag, interests } from './support.js';

const id = (n: number) => `C${String(n).padStart(4, '0')}`;

forEachStore('exporting members while customers change', (h) => {
  it('leaves out members erased or merged away between batches and logs the rows written', async () => {
    const ctx = h.context('运营-小李');
    const count = 2100; // more than one batch of rows
    for (let start = 1; start <= count; start += 1000) {
      await upsertCustomers(ctx, Array.from({ length: Math.min(1000, count - start + 1) }, (_, i) => ({ id: id(start + i), city: '杭州' })));
    }
    await defineTag(ctx, interests);
    await assignTag(ctx, { tag: 'interests', value: 'golf', customers: [id(2050), id(2060)], source: 'manual' });
    const rows = await ctx.store.db.selectFrom('customers').select(['id', 'external_id']).where('workspace_id', '=', ctx.workspaceId).orderBy('id').execute();
    const members = rows.map((row) => row.id);
    const logId = await logExport(ctx, { actor: '运营-小李', source: 'segment', target: 'all', format: 'jsonl', rows: members.length, metrics: [] });
    const counts: number[] = [];
    const file = exportMembers(ctx, await loadWorkspaceCatalog(ctx), members, 'jsonl', [], { onRows: (written) => counts.push(written), loggedAs: logId });

    const first = await file.next();
    expect(first.done).toBe(false);
    // Between the first batch and the second: one written already absorbs one still to come, two
    // still to come merge, and one still to come is erased.
    await mergeCustomers(ctx, id(10), id(2050));
    await mergeCustomers(ctx, id(2070), id(2060));
    await eraseCustomer(ctx, id(2080));
    const chunks = [String(first.value)];
    for await (const chunk of { [Symbol.asyncIterator]: () => file }) chunks.push(String(chunk));

    const written = chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as { id: string; tags: string[] });
    const ids = written.map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(id(2050));
    expect(ids).not.toContain(id(2060));
    expect(ids).not.toContain(id(2080));
    expect(ids.filter((row) => row === id(10))).toHaveLength(1);
    expect(ids.filter((row) => row === id(2070))).toHaveLength(1);
    // The survivor is written under its own record, with the tags it holds now.
    expect(written.find((row) => row.id === id(2070))?.tags).toEqual(['兴趣爱好: 高尔夫']);
    expect(ids).toHaveLength(count - 3);
    expect(counts.at(-1)).toBe(count - 3);
    expect((await listExports(ctx, 1))[0]?.rows).toBe(count - 3);
  });
});
