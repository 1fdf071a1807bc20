import { expect } from 'vitest';
import { forEachStore, it } from '../support/stores.js';
import { upsertCustomers } from '../../src/engine/customers.js';
import { compareSnapshot, createSegment, deleteSnapshot, snapshotPartMembers, takeSnapshot, type Audience } from '../../src/engine/segments.js';
import { indexAudience } from '../../src/index/audience.js';
import { IndexRegistry } from '../../src/index/registry.js';

forEachStore('engine: a snapshot deleted while it is compared', (h) => {
  it('answers SNAPSHOT_NOT_FOUND when the snapshot is deleted while the segment now is counted', async () => {
    const ctx = h.context();
    await upsertCustomers(ctx, [{ id: 'C1', city: '上海' }, { id: 'C2', city: '上海' }]);
    await createSegment(ctx, { key: 'sh', name: '上海客户', expression: 'city = "上海"' });
    const counted = indexAudience(new IndexRegistry(ctx.store));
    const snapshot = await takeSnapshot(ctx, counted, 'sh');
    // Another request deletes it between reading its members and reading its record.
    const audience: Audience = {
      ...counted,
      async members(context, bound, scope) {
        await deleteSnapshot(context, 'sh', snapshot.id);
        return counted.members(context, bound, scope);
      },
    };
    await expect(compareSnapshot(ctx, audience, 'sh', snapshot.id)).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    await expect(snapshotPartMembers(ctx, counted, 'sh', snapshot.id, 'members')).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
  });
});
