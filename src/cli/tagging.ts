// `tagbase tag assign|unassign|undo|operations`: tagging customers by hand from the terminal, as bulk
// tagging in the console and `POST /api/v1/tags/{tag}/assign|unassign` do — one transaction,
// rules reading the tag follow, and the change can be undone for a week (the operations of that
// week listed as `GET /api/v1/tagging/operations` lists them).
import { isTagbaseError, TagbaseError } from '../core/errors.js';
import { localized, type Locale } from '../core/locale.js';
import { formatTagLabel } from '../core/tag.js';
import { formatUtcOffset, minuteInZone } from '../core/time.js';
import type { WorkspaceContext } from '../engine/context.js';
import { getTag, getTagValue } from '../engine/library.js';
import { assignTag, removeTag, type AssignResult, type RemoveResult } from '../engine/tagging.js';
import { listTaggingOperations, undoTaggingOperation, type TaggingOperationJson, type UndoResult } from '../engine/tagging-operations.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import { terminalTable } from './commander-locale.js';
import type { Say } from './messages.js';
import { auditCli } from './audit-entry.js';
import { inCommandWorkspace } from './store-options.js';
import { readTextInput } from './text-input.js';

export interface TaggingOptions {
  workspace: string;
  database?: string | undefined;
  actor?: string | undefined;
  locale?: Locale | undefined;
  /** A file of customer ids, one a line (`-` reads them from standard input), besides those given as arguments. */
  file?: string | undefined;
}

const DAY_MS = 86_400_000;

/**
 * The customers named as arguments and in the file (`-`: standard input; read as imports read
 * theirs, see `readTextInput`), each once, in the order given. Blank lines are skipped; a line is
 * trimmed, so a column copied out of a spreadsheet reads as it looks.
 */
export async function customersToTag(named: readonly string[], file: string | undefined, read: (file: string) => Promise<string> = readTextInput): Promise<string[]> {
  const listed = file === undefined ? [] : (await read(file)).split(/\r?\n/);
  const customers = [...new Set([...named, ...listed].map((id) => id.trim()).filter((id) => id !== ''))];
  if (customers.length === 0) {
    throw new TagbaseError('VALIDATION_FAILED', { detail: localized('name the customers: their ids after the value, or a file of ids with --file', '请指定客户：在值之后写客户编号，或用 --file 给出每行一个编号的文件') });
  }
  return customers;
}

export async function assignTagCommand(tag: string, value: string, named: readonly string[], options: TaggingOptions & { expiresInDays?: number | undefined }): Promise<string> {
  const customers = await customersToTag(named, options.file);
  return inCommandWorkspace(options, async (context, say) => {
    const text = await assignedText(context, say, { tag, value, customers, expiresInDays: options.expiresInDays });
    await auditCli(context, 'tag assign', `/tags/${encodeURIComponent((await getTag(context, tag)).key)}/assign`);
    return text;
  });
}

/** Gives the value to the customers and says what changed. */
export async function assignedText(context: WorkspaceContext, say: Say, request: { tag: string; value: string; customers: readonly string[]; expiresInDays?: number | undefined }): Promise<string> {
  const expiresAt = request.expiresInDays === undefined ? undefined : context.now().getTime() + request.expiresInDays * DAY_MS;
  const result = await customersNamedAsGiven(assignTag(context, { tag: request.tag, value: request.value, customers: request.customers, expiresAt, source: 'manual', undoable: true }));
  return assignedSummary(say, await labelOf(context, request.tag, request.value), result);
}

/**
 * Customers not found, said as the command was given them: the API names each as an item of its
 * body (`item 1 customers`, counted from 0), which the terminal has none of. One alone is said by the
 * error's line; several each on a line of its own under it.
 */
async function customersNamedAsGiven<T>(tagging: Promise<T>): Promise<T> {
  try {
    return await tagging;
  } catch (error) {
    if (!isTagbaseError(error) || (error.code !== 'CUSTOMER_NOT_FOUND' && error.code !== 'CUSTOMERS_NOT_FOUND')) throw error;
    throw new TagbaseError(error.code, error.params, error.items?.map(({ index: _index, path: _path, inItem: _inItem, ...item }) => ({ ...item, index: -1 })));
  }
}

export function assignedSummary(say: Say, label: string, result: AssignResult): string {
  const parts = [
    result.added > 0 ? say('tagging.added', { count: result.added }) : undefined,
    result.replaced > 0 ? say('tagging.replaced', { count: result.replaced }) : undefined,
    result.unchanged > 0 ? say('tagging.unchanged', { count: result.unchanged }) : undefined,
    result.renewed > 0 ? say('tagging.renewed', { count: result.renewed }) : undefined,
  ].filter((part): part is string => part !== undefined);
  return [say('tagging.assigned', { label, count: result.matched, parts: parts.join(say('tagging.separator')) }), ...undoLine(say, result.operation)].join('\n');
}

export async function unassignTagCommand(tag: string, named: readonly string[], options: TaggingOptions & { value?: string | undefined }): Promise<string> {
  const customers = await customersToTag(named, options.file);
  return inCommandWorkspace(options, async (context, say) => {
    const text = await unassignedText(context, say, { tag, value: options.value, customers });
    await auditCli(context, 'tag unassign', `/tags/${encodeURIComponent((await getTag(context, tag)).key)}/unassign`);
    return text;
  });
}

/** Takes the value (every value of the tag without one) from the customers and says what changed. */
export async function unassignedText(context: WorkspaceContext, say: Say, request: { tag: string; value?: string | undefined; customers: readonly string[] }): Promise<string> {
  const result = await customersNamedAsGiven(removeTag(context, { tag: request.tag, value: request.value, customers: request.customers, source: 'manual', undoable: true }));
  return removedSummary(say, await labelOf(context, request.tag, request.value), result);
}

export function removedSummary(say: Say, label: string, result: RemoveResult): string {
  return [say('tagging.removed', { label, count: result.matched, removed: result.removed }), ...undoLine(say, result.operation)].join('\n');
}

function undoLine(say: Say, operation: number | undefined): string[] {
  return operation === undefined ? [] : [say('tagging.undoHint', { operation })];
}

export function undoTaggingCommand(operation: number, options: TaggingOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const undone = await undoTaggingOperation(context, operation);
    await auditCli(context, 'tag undo', `/tagging/operations/${operation}/undo`);
    return undoneSummary(say, undone);
  });
}

export function undoneSummary(say: Say, result: UndoResult): string {
  const label = result.operation.value_name === null ? result.operation.tag_name : formatTagLabel(result.operation.tag_name, result.operation.value_name);
  const lines = [say(result.operation.action === 'assign' ? 'tagging.undoneAssign' : 'tagging.undoneRemove', { label, count: result.undone })];
  if (result.skipped > 0) lines.push(say('tagging.undoSkipped', { count: result.skipped }));
  if (result.reminders_withdrawn > 0) lines.push(say('tagging.undoReminders', { count: result.reminders_withdrawn }));
  return lines.join('\n');
}

/**
 * The bulk assigns and removals of the last week, newest first, as `GET /api/v1/tagging/operations`
 * lists them: the numbers `tag undo` takes. Operations on personal tags are listed to their owner
 * alone (`--actor`), as the API lists them to the X-Tagbase-Actor whose tags they are.
 */
export function taggingOperationsCommand(options: TaggingOptions & { json?: boolean | undefined }): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const operations = await listTaggingOperations(context);
    if (options.json) return JSON.stringify({ items: operations }, null, 2);
    if (operations.length === 0) return say('operations.none');
    return formatOperations(operations, say, await workspaceUtcOffset(context));
  });
}

/** In columns as a terminal shows them, times to the minute in the workspace's zone, named once at the end. */
export function formatOperations(operations: readonly TaggingOperationJson[], say: Say, utcOffsetMinutes: number): string {
  const minute = (iso: string) => minuteInZone(Date.parse(iso), utcOffsetMinutes);
  const rows = operations.map((operation) => {
    const label = operation.value_name === null ? operation.tag_name : formatTagLabel(operation.tag_name, operation.value_name);
    const state =
      operation.undone_at === null
        ? say('operations.undoable', { until: minute(operation.undoable_until), id: String(operation.id) })
        : say('operations.undone', { at: minute(operation.undone_at), actor: operation.undone_by ?? '-', count: operation.undone_customers ?? 0 });
    return [String(operation.id), minute(operation.at), operation.actor, say(operation.action === 'assign' ? 'operations.assign' : 'operations.remove', { label }), say('operations.customers', { count: operation.customers }), state];
  });
  return [...terminalTable(rows, (column) => column === 0), say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) })].join('\n');
}

/** 「兴趣爱好: 高尔夫」, the value found as the engine finds it (by key, then name); the tag's name alone without a value. */
async function labelOf(context: WorkspaceContext, tag: string, value: string | undefined): Promise<string> {
  const definition = await getTag(context, tag);
  return value === undefined ? definition.name : formatTagLabel(definition.name, getTagValue(definition, value).name);
}
