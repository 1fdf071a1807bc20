// `tagbase workspace list|create|update|delete`: one deployment serves many merchants or stores, each
// in a workspace of its own, with its own time zone; a new one is made here or with `POST
// /api/v1/workspaces`.
import { trimDisplayName } from '../core/display-name.js';
import { TagbaseError } from '../core/errors.js';
import { formatUtcOffset, minuteWithZone, systemClock } from '../core/time.js';
import type { Locale } from '../core/locale.js';
import { updateWorkspace } from '../engine/workspace-settings.js';
import { createWorkspace, DEFAULT_WORKSPACE, DEFAULT_WORKSPACE_NAME, listWorkspaces } from '../engine/workspaces.js';
import { deleteWorkspace, workspaceToDelete, type WorkspaceDeletionProgress } from '../engine/workspace-deletion.js';
import { auditCli } from './audit-entry.js';
import { progressBar } from './progress.js';
import { terminalTable } from './commander-locale.js';
import { cliLocale } from './errors.js';
import { cliMessages } from './messages.js';
import { inCommandWorkspace, withMigratedStore } from './store-options.js';

export interface WorkspaceCommandOptions {
  database?: string | undefined;
  locale?: Locale | undefined;
  /** `list`: print the workspaces as `GET /api/v1/workspaces` lists them, as JSON. */
  json?: boolean | undefined;
}

export function listWorkspacesCommand(options: WorkspaceCommandOptions): Promise<string> {
  const say = cliMessages(options.locale);
  return withMigratedStore(options.database, async (store) => {
    const workspaces = await listWorkspaces(store);
    if (options.json) return JSON.stringify({ items: workspaces }, null, 2);
    // Aligned as the other lists are: a Chinese name is two terminal columns a character.
    // Each made at its own clock, which the time names, as the workspaces' zones may differ:
    // `created 2026-12-05 16:48 (UTC+08:00)`.
    return terminalTable(
      workspaces.map((workspace) => [
        workspace.key,
        // The default workspace as it was made, named in the reader's language, as the console names it.
        workspace.key === DEFAULT_WORKSPACE && workspace.name === DEFAULT_WORKSPACE_NAME ? say('workspace.defaultName') : workspace.name,
        workspace.deleting
          ? say('workspace.beingDeleted', { deleted: workspace.deleting.deleted_rows, total: workspace.deleting.total_rows ?? '?' })
          : say('workspace.createdAt', { created: minuteWithZone(Date.parse(workspace.created_at), workspace.utc_offset_minutes, options.locale ?? cliLocale()) }),
      ]),
    ).join('\n');
  });
}

export function createWorkspaceCommand(key: string, options: WorkspaceCommandOptions & { name?: string | undefined; utcOffset?: number | undefined; actor?: string | undefined }): Promise<string> {
  const say = cliMessages(options.locale);
  return withMigratedStore(options.database, async (store) => {
    const made = await createWorkspace(store, key, trimDisplayName(options.name ?? '') || key, systemClock, options.utcOffset);
    // Of no workspace, as `POST /workspaces`'s: the store's administrator made it.
    await auditCli({ store, workspaceId: null, actor: options.actor ?? 'cli', now: systemClock }, 'workspace create', `/workspaces/${encodeURIComponent(made.key)}`);
    return say('workspace.created', { key: made.key, name: made.name });
  });
}

/** `tagbase workspace update KEY [-n NAME] [--utc-offset +08:00]`: a new zone recomputes everyone here, before it answers. */
export function updateWorkspaceCommand(key: string, options: WorkspaceCommandOptions & { name?: string | undefined; utcOffset?: number | undefined; actor?: string | undefined }): Promise<string> {
  return inCommandWorkspace({ ...options, workspace: key }, async (context, say) => {
    if (options.name === undefined && options.utcOffset === undefined) throw new TagbaseError('VALIDATION_FAILED', { detail: say('workspace.nothingToUpdate') });
    const updated = await updateWorkspace(context, { ...(options.name !== undefined ? { name: options.name } : {}), ...(options.utcOffset !== undefined ? { utc_offset_minutes: options.utcOffset } : {}) });
    await auditCli(context, 'workspace update', key);
    return say('workspace.updated', { key: updated.key, name: updated.name, zone: formatUtcOffset(updated.utc_offset_minutes) });
  });
}

/**
 * `tagbase workspace delete KEY --yes`: the workspace and everything in it go, for good, batch
 * by batch with a progress bar on a terminal (a line per tenth otherwise) on standard error; a
 * deletion that was interrupted is finished. Without --yes, what would go (how many customers),
 * nothing changed. The default one, or a key that is not there, is said first.
 */
export function deleteWorkspaceCommand(key: string, options: WorkspaceCommandOptions & { yes: boolean; actor?: string | undefined; progress?: ((line: string) => void) | undefined }): Promise<{ text: string; done: boolean }> {
  const say = cliMessages(options.locale);
  return withMigratedStore(options.database, async (store) => {
    const target = await workspaceToDelete(store, key);
    if (!options.yes) {
      if (!target.deleting) return { text: say('workspace.deleteAsk', { key, customers: target.customers }), done: false };
      const state = (await listWorkspaces(store)).find((workspace) => workspace.key === key)?.deleting;
      return { text: say('workspace.deleteResumeAsk', { key, deleted: state?.deleted_rows ?? 0, total: state?.total_rows ?? '?' }), done: false };
    }
    const bar = progressBar(say('workspace.deleteBar'), process.stderr.isTTY, options.locale);
    const line = options.progress ?? ((text: string) => console.error(text));
    let tenth = -1;
    const onProgress = (progress: WorkspaceDeletionProgress) => {
      if (progress.total_rows === null) return;
      if (process.stderr.isTTY) return bar.update(progress.deleted_rows, progress.total_rows);
      const now = progress.total_rows === 0 ? 10 : Math.floor((progress.deleted_rows / progress.total_rows) * 10);
      if (now === tenth) return;
      tenth = now;
      line(say('workspace.deleteProgress', { key, deleted: progress.deleted_rows, total: progress.total_rows }));
    };
    // Stopped also on failure: a bar left running would keep the command from exiting.
    const deleted = await deleteWorkspace(store, key, systemClock, { actor: options.actor ?? 'cli', source: 'cli' }, undefined, onProgress).finally(() => bar.stop());
    const revoked = deleted.tokens_revoked.length > 0 ? say('workspace.tokensRevoked', { tokens: deleted.tokens_revoked }) : '';
    return { text: say('workspace.deleted', { key, customers: deleted.customers, events: deleted.events }) + revoked, done: true };
  });
}
