// The server's log names a workspace by its key in every line about it, as the console and the
// commands do, though the index knows workspaces by their ids.
import { expect } from 'vitest';
import { WorkspaceKeys } from '../../src/cli/serve.js';
import { createWorkspace } from '../../src/engine/workspaces.js';
import { systemClock } from '../../src/core/time.js';
import { forEachStore, it } from '../support/stores.js';

forEachStore('the server log\'s workspace names', (h) => {
  it('names a workspace by its key, one made after the start too, and one gone by its number', async () => {
    const ctx = h.context();
    const keys = new WorkspaceKeys(h.store());
    expect(await keys.keyOf(ctx.workspaceId)).toBe(h.workspaceKey());
    const made = await createWorkspace(h.store(), `later-${h.kind}`, 'Later', systemClock);
    const id = (await h.store().db.selectFrom('workspaces').select('id').where('key', '=', made.key).executeTakeFirstOrThrow()).id;
    expect(await keys.keyOf(id)).toBe(made.key);
    keys.remember(987_654, 'told');
    expect(await keys.keyOf(987_654)).toBe('told');
    expect(await keys.keyOf(987_655)).toBe('#987655');
  });
});
