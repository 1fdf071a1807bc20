// A workspace's name and time zone, changed after it was made. Its days are counted in its
// zone (orders in the last 30 days, this year, birthdays, days since the last order), so a new
// zone recomputes every customer's metrics and rule tags, as declaring a metric does.
import { z } from 'zod';
import { visibleName } from '../core/display-name.js';
import { assertSomethingToChange } from '../core/patch.js';
import { parseInput } from '../core/validation.js';
import { TagbaseError } from '../core/errors.js';
import { writeCatalog, type WorkspaceContext } from './context.js';
import { applyRecordedMetricsPass } from './metric-passes.js';
import { scheduleMetricsPass } from './pass-records.js';
import { MAX_WORKSPACE_NAME, checkUtcOffset, checkWorkspaceName, getWorkspace, type Workspace } from './workspaces.js';

/**
 * Minutes east of UTC, in quarter hours: 480 for China time. Its bounds are checked by
 * `checkUtcOffset`, which says all of them at once; the OpenAPI document gives them to clients.
 */
export const utcOffsetSchema = z.number().int().meta({ minimum: -720, maximum: 840, multipleOf: 15 });

export const workspacePatchSchema = z.strictObject({
  name: visibleName(MAX_WORKSPACE_NAME).optional(),
  utc_offset_minutes: utcOffsetSchema.optional(),
});

export type WorkspacePatch = z.infer<typeof workspacePatchSchema>;

/** The workspace the context acts in, as `PATCH /workspace` answers it; `WORKSPACE_NOT_FOUND` once it is gone. */
export async function currentWorkspace(context: WorkspaceContext): Promise<Workspace> {
  const workspace = await getWorkspace(context.store, context.workspaceId);
  if (!workspace) throw new TagbaseError('WORKSPACE_NOT_FOUND', { workspace: context.workspaceKey });
  return workspace;
}

/**
 * Renames the workspace, or moves it to another time zone. A new zone is saved with a recorded
 * recompute of everyone's metrics in the same transaction, so a crash leaves the scheduler to
 * finish it; the first chunk runs before this answers and the rest after (all of it outside a
 * server). Setting the zone it already has changes nothing.
 */
export async function updateWorkspace(context: WorkspaceContext, raw: WorkspacePatch): Promise<Workspace> {
  const patch = parseInput(workspacePatchSchema, raw);
  assertSomethingToChange(patch, ['name', 'utc_offset_minutes']);
  if (patch.name !== undefined) checkWorkspaceName(patch.name);
  if (patch.utc_offset_minutes !== undefined) checkUtcOffset(patch.utc_offset_minutes);
  const before = await currentWorkspace(context);
  if (patch.name !== undefined && patch.name !== before.name) {
    await context.store.db.updateTable('workspaces').set({ name: patch.name }).where('id', '=', context.workspaceId).execute();
  }
  const offset = patch.utc_offset_minutes;
  if (offset !== undefined && offset !== before.utc_offset_minutes) {
    const recompute = await writeCatalog(context, 'all', async (trx) => {
      await trx.updateTable('workspaces').set({ utc_offset_minutes: offset }).where('id', '=', context.workspaceId).execute();
      return scheduleMetricsPass(context, trx);
    });
    await applyRecordedMetricsPass(context, recompute);
  }
  return currentWorkspace(context);
}
