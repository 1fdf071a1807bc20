// `tagbase workspace list|create`: one deployment serves many merchants or stores, each in a
// workspace of its own; a new one is made here or with `POST /api/v1/workspaces`.
import { systemClock } from '../core/time.js';
import type { Locale } from '../core/locale.js';
import { createWorkspace, listWorkspaces } from '../engine/workspaces.js';
import { cliMessages } from './messages.js';
import { withMigratedStore } from './store-options.js';

export interface WorkspaceCommandOptions {
  database?: string | undefined;
  locale?: Locale | undefined;
}

export function listWorkspacesCommand(options: WorkspaceCommandOptions): Promise<string> {
  const say = cliMessages(options.locale);
  return withMigratedStore(options.database, async (store) =>
    (await listWorkspaces(store)).map((workspace) => say('workspace.line', { key: workspace.key, name: workspace.name, created: workspace.created_at })).join('\n'),
  );
}

export function createWorkspaceCommand(key: string, options: WorkspaceCommandOptions & { name?: string | undefined }): Promise<string> {
  const say = cliMessages(options.locale);
  return withMigratedStore(options.database, async (store) => {
    const made = await createWorkspace(store, key, options.name?.trim() || key, systemClock);
    return say('workspace.created', { key: made.key, name: made.name });
  });
}
