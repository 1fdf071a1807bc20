import type { WorkspaceJson } from '../components/WorkspaceCreateDialog';

/**
 * The workspaces as last read anywhere in the console, and for which access token. The list is no
 * one workspace's, but a read made in one workspace is not shown in another (see useApiQuery):
 * after a switch, what names the workspaces (the switcher, a notice of an import elsewhere) shows
 * these until it has read its own, rather than bare keys replaced by names a moment later. Another
 * token's list is never shown: one signed in after another may not see the same workspaces.
 */
let lastListed: { token: string | undefined; items: readonly WorkspaceJson[] } | undefined;

export function rememberListedWorkspaces(token: string | undefined, items: readonly WorkspaceJson[]): void {
  lastListed = { token, items };
}

export function lastListedWorkspaces(token: string | undefined): readonly WorkspaceJson[] | undefined {
  return lastListed !== undefined && lastListed.token === token ? lastListed.items : undefined;
}
