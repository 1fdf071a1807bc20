// The keys of PostgreSQL's advisory locks, in one place so that two kinds of work never share
// one by mistake and wait for each other (SQLite's single writer orders the same work there).
// Each lock is taken as the pair (first key, second key): the second is a workspace id, or 0.

/** Orders a workspace's writes and its change log; second key the workspace. */
export const WORKSPACE_WRITE_LOCK = 7_461_676;
/** Orders revokes, so that two at once cannot each leave the other the last administrator; second key 0. */
export const TOKEN_REVOKE_LOCK = 7_461_677;
/** Under which a new workspace's key is checked and inserted; second key 0. */
export const NEW_WORKSPACE_LOCK = 7_461_678;
/** Under which a workspace's index snapshot header is switched; second key the workspace. */
export const SNAPSHOT_SWITCH_LOCK = 7_461_690;
