import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { createCustomField } from '../../src/engine/fields.js';
import { importRows, parseRows } from '../../src/engine/imports.js';
import type { WorkspaceContext } from '../../src/engine/context.js';

// A customers import tells the customers it changed from those it found already as the file has them.
forEachStore('customers import: changed and unchanged customers', (h) => {
  const file = (rows: string[]) => ['id,name,city,phone,shoe_size', ...rows].join('\n');
  const fifty = Array.from({ length: 50 }, (_, i) => `C${i + 1},客户${i + 1},广州,1380013${String(8000 + i).padStart(4, '0')},${38 + (i % 5)}`);

  /** Each customer's updated_at, by the merchant's id. */
  const updatedAt = async (ctx: WorkspaceContext) =>
    new Map((await ctx.store.db.selectFrom('customers').select(['external_id', 'updated_at']).where('workspace_id', '=', ctx.workspaceId).execute()).map((row) => [row.external_id, Number(row.updated_at)]));

  it('counts a file imported again as unchanged, and one customer whose city changed as the only one updated', async () => {
    const told: number[][] = [];
    const ctx: WorkspaceContext = { ...h.context(), observer: { customersChanged: (_workspace, ids) => void told.push([...ids]), catalogChanged: () => undefined } };
    await createCustomField(ctx, { key: 'shoe_size', name: '鞋码', type: 'number' });
    const first = await importRows(ctx, 'customers', parseRows(file(fifty), 'csv'), { batchSize: 20 });
    expect(first.customers).toEqual({ created: 50, updated: 0, unchanged: 0 });
    const before = await updatedAt(ctx);

    h.clock.advance(60_000);
    told.length = 0;
    const again = await importRows(ctx, 'customers', parseRows(file(fifty), 'csv'), { batchSize: 20 });
    expect(again).toMatchObject({ accepted: 50, rejected: 0, customers: { created: 0, updated: 0, unchanged: 50 } });
    // Nothing written: no customer's updated_at moved, and no change was told to the index.
    expect(await updatedAt(ctx)).toEqual(before);
    expect(told.flat()).toEqual([]);

    h.clock.advance(60_000);
    const moved = fifty.map((row) => (row.startsWith('C7,') ? row.replace('广州', '深圳') : row));
    const changed = await importRows(ctx, 'customers', parseRows(file(moved), 'csv'), { batchSize: 20 });
    expect(changed.customers).toEqual({ created: 0, updated: 1, unchanged: 49 });
    const after = await updatedAt(ctx);
    expect([...after].filter(([id, at]) => at !== before.get(id)).map(([id]) => id)).toEqual(['C7']);
    expect(told.flat()).toHaveLength(1);
  });

  it('counts a new identity or custom value as a change, and an empty cell or a value given back as none', async () => {
    const ctx = h.context();
    await createCustomField(ctx, { key: 'shoe_size', name: '鞋码', type: 'number' });
    await createCustomField(ctx, { key: 'note', name: '备注', type: 'string' });
    await importRows(ctx, 'customers', parseRows(file(['C1,张伟,广州,13800138000,42', 'C2,李娜,深圳,,36', 'C3,王芳,杭州,,']), 'csv'), { batchSize: 100 });
    const rows = [
      // An e-mail C1 did not have.
      '{"id": "C1", "identities": [{"kind": "email", "value": "zhang.wei@example.com"}]}',
      // Her phone again, as she has it, and her custom values in another order.
      '{"id": "C1", "identities": [{"kind": "phone", "value": "+86 138-0013-8000"}]}',
      '{"id": "C2", "name": "李娜", "custom": {"shoe_size": 36}}',
      // A custom value C3 had none of.
      '{"id": "C3", "custom": {"note": "老客"}}',
    ];
    expect((await importRows(ctx, 'customers', parseRows(rows.join('\n'), 'jsonl'), { batchSize: 100 })).customers).toEqual({ created: 0, updated: 2, unchanged: 1 });
    // A customer on two rows whose second row gives back what the first changed is as she was.
    const back = await importRows(ctx, 'customers', parseRows(file(['C2,李娜,上海,,', 'C2,李娜,深圳,,', 'C1,,,,']), 'csv'), { batchSize: 100 });
    expect(back.customers).toEqual({ created: 0, updated: 0, unchanged: 2 });
  });
});
