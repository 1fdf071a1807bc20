// Background work (a scheduler round, a rule or metric pass going on after its save) reads its
// workspace's rows and then writes: a workspace deleted between the two makes the write fail on
// the rows it points at (a foreign key). Such work ends there, quietly: nothing of the workspace
// is left to finish, and the next round no longer lists it.
import type { Store } from '../store/connect.js';

/** Whether the workspace is gone from the store; false when that cannot be told (the store out of reach), so the failure is told as it was. */
export async function workspaceGone(store: Store, workspaceId: number): Promise<boolean> {
  try {
    return (await store.db.selectFrom('workspaces').select('id').where('id', '=', workspaceId).executeTakeFirst()) === undefined;
  } catch {
    return false;
  }
}

/** What a round or pass that found its workspace deleted says, once: a line to inform, not a failure. */
export function workspaceGoneLine(workspaceKey: string, what: string): string {
  return `workspace "${workspaceKey}" was deleted while its ${what} ran; the ${what} ends there`;
}
