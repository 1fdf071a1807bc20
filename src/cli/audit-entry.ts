// The command line's part of the audit trail: each command that changes stored data leaves one
// entry once its change is made, and an export once it takes customers out, as each changing or
// exporting API call does, named by the command (`tag update`) with a target written as the API's
// path (`/tags/stage`). Which command records what, and which records nothing and why, is written
// down here: a new command must choose.
import { recordAudit } from '../engine/audit.js';
import type { Store } from '../store/connect.js';

/**
 * Commands that write their entry with `auditCli` once their change is made (never for one that
 * failed or, without --yes, only said what would go), each under its own path as its action.
 */
export const CLI_AUDITED = [
  'import',
  // An operator's recompute or tick is an administrator's action; the server's own ticks are not recorded.
  'recompute',
  'tick',
  'segment save',
  'segment delete',
  'segment snapshot',
  // An export takes customers out, as the API's exports (recorded there too): entered beside its
  // export log row, before the first row goes out, so none leaves unrecorded.
  'segment export',
  // Reads of personal data, recorded when the server records those (TAGBASE_AUDIT_READS=on), as the API's.
  'customer show',
  'customer find',
  'care reminders',
  'customer merge',
  'customer identity remove',
  'customer erase',
  'workspace create',
  'workspace update',
  'field add',
  'tag assign',
  'tag unassign',
  'tag undo',
  'tag create',
  'tag update',
  'model enable',
  'model refresh',
  'model disable',
  'care add',
  'care update',
  'care run',
  'care enable',
  'care disable',
  'care remove',
  'care done',
  'care dismiss',
  'care reopen',
  'care snooze',
  'care unsnooze',
  'webhook add',
  'webhook topics',
  'webhook test',
  'webhook rotate-secret',
  'webhook pause',
  'webhook resume',
  'webhook retry',
  // As the API's retry, which can apply a day of events.
  'journal retry',
  'webhook remove',
  'template apply',
] as const;

export type CliAuditAction = (typeof CLI_AUDITED)[number];

/**
 * Commands whose entry the engine writes in the change's own transaction, as it does for the
 * same API call (with what went, for a deletion), by the action it records.
 */
export const AUDITED_BY_ENGINE: Readonly<Record<string, string>> = {
  demo: 'demo',
  'token create': 'token create',
  'token revoke': 'token revoke',
  'workspace delete': 'workspace delete',
  'tag delete': 'tag delete',
};

/** Commands that write no entry, and why: none changes what people keep in the store. */
export const NOT_AUDITED: Readonly<Record<string, string>> = {
  serve: 'the server records each change made through its API itself',
  migrate: "brings the store's layout up to date: no one's data changes, and the trail may not be there before it",
  backup: 'copies the store as it is, to a file of whoever can open the store already; it must not change what it copies',
  // The copy is checked table by table against the source: an entry of its own would make them differ.
  'store copy': 'copies the whole store, its audit trail with it, into an empty one; it only reads the source, and whoever runs it can open both stores already',
  'segment count': 'reads',
  'segment sizes': 'reads',
  'segment insight': 'reads',
  'segment list': 'reads',
  'segment snapshots': 'reads',
  'segment exports': 'reads the export log (who exported what), which the API does not record either',
  'journal list': 'reads',
  'customer erasures': "an administrator's read, which the API does not record either",
  'token list': "an administrator's read, which the API does not record either",
  'workspace list': 'reads',
  'field list': 'reads',
  'metric list': 'reads',
  audit: "reads the trail itself, an administrator's read",
  'tag list': 'reads',
  // Counts of customers between values, never who they are: the API's export of a flow's members has no command.
  'tag transitions': 'reads',
  'tag profile': 'reads',
  'tag operations': 'reads',
  'model list': 'reads',
  'care plans': 'reads',
  'webhook list': "an administrator's read, which the API does not record either",
  'webhook deliveries': "an administrator's read, which the API does not record either",
  'template list': 'reads the templates that come with the program, no store',
  'template show': 'reads the templates that come with the program, no store',
  doctor: 'reads the tag library and says what it finds',
  completion: 'prints a shell script, no store',
};

/** Where an entry goes and whom it names: a command's workspace, or none (`null`) for the store as a whole. */
export interface CliAuditPlace {
  store: Store;
  workspaceId: number | null;
  actor: string | null;
  now: () => Date;
}

/** Writes the entry of a command whose change is made: `source: 'cli'`, no HTTP status. */
export async function auditCli(place: CliAuditPlace, action: CliAuditAction, target: string): Promise<void> {
  await recordAudit(place.store.db, { workspaceId: place.workspaceId, actor: place.actor, source: 'cli', action, target, status: null, at: place.now().getTime() });
}

