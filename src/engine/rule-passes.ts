// Applying a rule tag to everyone takes one transaction per batch of customers
// (`applyRulesInBatches`), minutes at millions of customers. The pass is recorded in the store
// with how far it got, in the same transaction as each batch, so that one cut short by a crash
// or a restart is finished by the scheduler rather than leaving part of the workspace under the
// old rule until each customer next changes.
import type { Kysely, Transaction } from 'kysely';
import type { ExpressionDependencies } from '../core/expression/index.js';
import type { Database } from '../store/schema.js';
import type { WorkspaceCatalog } from './catalog.js';
import type { RulePassRunner, WorkspaceContext } from './context.js';
import { holderGone, holderToken } from './pass-holders.js';
import { METRICS_PASS, movePass, ownedPass, recordedPasses, scheduleRulePass, settlePass, type PassTag, type RulePassProgress } from './pass-records.js';
import { RULE_PASS_BATCH, applyRulesInBatches } from './propagate.js';
import { compiledRuleGroups } from './rule-groups.js';
import { workspaceGone } from './workspace-gone.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A pass whose owner has not finished a batch for this long is taken over by the scheduler; one
 * whose owner is known to be gone (`holderGone`) is taken over without waiting.
 */
export const RULE_PASS_LEASE_MS = 5 * 60_000;

export { scheduleRulePass, type PassTag, type RulePassProgress } from './pass-records.js';

export interface RulePassRun {
  /** Customers whose tags changed. */
  changed: number;
  /** False when the run stopped early (its batch limit, the process stopping, a newer save); the record says where. */
  finished: boolean;
}

/** Runs a recorded pass that is not a tag's, by its token. */
export type OtherPassRunner = (context: WorkspaceContext, token: string) => Promise<RulePassRun>;

export interface RulePassRunOptions {
  batchSize?: number | undefined;
  maxBatches?: number | undefined;
  /** Stops the run between batches and hands the pass to the scheduler at once. */
  signal?: AbortSignal | undefined;
}

/** What a tag's pass is recorded under (`PassTag`). */
export function passTag(tag: { id: number; key: string; owner: string | null }): PassTag {
  return { id: tag.id, key: tag.key, owner: tag.owner };
}

/**
 * Records, in `db` (the transaction of a library change), a pass for every active rule tag of
 * `catalog` (the catalog as the change leaves it) whose conditions read what `reads` picks out,
 * segments expanded. A change that keeps every rule compiling can still change what a rule
 * means — a saved segment's new expression, an ordered tag's values in a new order — and no
 * customer's own data changes to re-run it. Returns each pass, for `applyRecordedPass`.
 */
export async function scheduleReaderPasses(
  context: WorkspaceContext,
  db: Db,
  catalog: WorkspaceCatalog,
  reads: (dependencies: ExpressionDependencies, catalog: WorkspaceCatalog) => boolean,
): Promise<{ tag: PassTag; token: string }[]> {
  const passes: { tag: PassTag; token: string }[] = [];
  // Other staff members' personal rules too: the change moves them as much, though the acting one does not see them.
  for (const group of await compiledRuleGroups(context, db, catalog)) {
    for (const rule of group.rules.rules) {
      if (rule.values.length > 0 && reads(rule.dependencies, group.catalog) && !passes.some((pass) => pass.tag.id === rule.tag.id)) passes.push({ tag: passTag(rule.tag), token: await scheduleRulePass(context, db, passTag(rule.tag)) });
    }
  }
  return passes;
}

/**
 * For `scheduleReaderPasses`: the rules that read the tag `tagId`, a key in their conditions
 * looked up in their owner's view. A colleague's personal tag of the same key is another tag, and
 * a rule reading it reads nothing that moved.
 */
export function readsTagById(tagId: number): (dependencies: ExpressionDependencies, catalog: WorkspaceCatalog) => boolean {
  return (dependencies, catalog) => dependencies.tags.some((key) => catalog.tagIds.get(key)?.id === tagId);
}

/**
 * Runs the recorded pass that `token` owns from where it stands, and removes the record once it
 * reaches the end; nothing when the record is gone or another run owns it.
 */
export async function runRulePass(context: WorkspaceContext, tag: PassTag, token: string, options: RulePassRunOptions = {}): Promise<RulePassRun> {
  const pass = await ownedPass(context, tag.id, token);
  if (!pass) return { changed: 0, finished: false };
  const run = await applyRulesInBatches(
    context,
    // This tag alone, by id: a colleague's personal tag of the same key has a pass of its own.
    { onlyTagIds: new Set([tag.id]) },
    {
      batchSize: options.batchSize,
      maxBatches: options.maxBatches,
      after: pass.afterId,
      // Moved forward in the batch's own transaction: the record never claims a batch that did
      // not commit, and on PostgreSQL the row lock orders two runs that both think they own it.
      beforeBatch: async (trx, progress) =>
        !options.signal?.aborted && (await movePass(context, trx, tag.id, token, { afterId: progress.lastId, done: pass.done + progress.done, total: pass.done + progress.total })),
      afterBatch: (progress) => context.rulePassProgress?.(tag, pass.done + progress.done, pass.done + progress.total),
    },
  );
  await settlePass(context, tag.id, token, { finished: run.finished, aborted: options.signal?.aborted === true });
  return run;
}

/**
 * Runs the pass a save has just recorded. Where the context has a runner (the server), the save
 * runs the first batch, which is all of it for a workspace of up to a batch's customers, and the
 * rest goes on in the background: saving a rule over millions of customers answers in
 * seconds, and the tag shows the pass's progress (`rulePassesInProgress`) until it is done.
 */
export function applyRecordedPass(context: WorkspaceContext, tag: PassTag, token: string): Promise<void> {
  return runFirstBatchHere(context, (options) => runRulePass(context, tag, token, options));
}

/**
 * Runs a recorded pass whole, or, where the context has a runner, its first batch here and the
 * rest in the background (a rule tag's pass, a metrics recompute).
 */
export async function runFirstBatchHere(context: WorkspaceContext, run: (options: RulePassRunOptions) => Promise<RulePassRun>): Promise<void> {
  const runner = context.rulePasses;
  if (!runner) {
    await run({});
    return;
  }
  const first = await run({ batchSize: runner.firstBatchSize, maxBatches: 1 });
  if (!first.finished) {
    runner.start(async (signal) => {
      try {
        return await run({ batchSize: runner.batchSize, signal });
      } catch (error) {
        // The workspace deleted meanwhile: its pass went with it, and there is nothing to finish.
        if (await workspaceGone(context.store, context.workspaceId)) return { changed: 0, finished: false };
        throw error;
      }
    });
  }
}

/** The passes of rule tags recorded in the workspace and not yet finished, by tag id. */
export async function rulePassesInProgress(context: WorkspaceContext, db: Db = context.store.db): Promise<Map<number, RulePassProgress>> {
  return new Map([...(await recordedPasses(context, db))].filter(([id]) => id !== METRICS_PASS.id));
}

/**
 * Customers per transaction of a pass in the background. Smaller than a save's own first batch:
 * on SQLite every query of a request waits for the batch in progress, and a console page asks
 * several; a pass takes as long in batches of 1,000 as of 5,000 (150,000 customers: 2.6 s).
 */
export const BACKGROUND_PASS_BATCH = 1000;

/**
 * The server's runner: passes go on in this process after their saves have answered; stopping
 * it ends each at its next batch, recorded for the scheduler to finish.
 */
export class BackgroundRulePasses implements RulePassRunner {
  private readonly controller = new AbortController();
  private readonly running = new Set<Promise<void>>();
  readonly firstBatchSize: number;
  readonly batchSize: number;

  constructor(
    private readonly onError: (error: unknown) => void,
    sizes: { firstBatchSize?: number | undefined; batchSize?: number | undefined } = {},
  ) {
    this.firstBatchSize = sizes.firstBatchSize ?? RULE_PASS_BATCH;
    this.batchSize = sizes.batchSize ?? BACKGROUND_PASS_BATCH;
  }

  start(work: (signal: AbortSignal) => Promise<unknown>): void {
    if (this.controller.signal.aborted) return;
    const task: Promise<void> = work(this.controller.signal)
      .then(
        () => undefined,
        (error: unknown) => this.onError(error),
      )
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves once no pass runs here. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.idle();
  }
}

/**
 * Takes over and finishes every pass of the workspace whose owner has been silent for longer
 * than the lease (a process that crashed or was stopped mid-pass), or whose owner ran on this
 * host and is known to be gone (killed, and this is the server started again). Returns the
 * passes' tags and how many customers' tags changed. Passes recorded under another id than a
 * tag's (the metrics' recompute, `METRICS_PASS`) are run by `otherPasses`.
 */
export async function resumeRulePasses(context: WorkspaceContext, leaseMs = RULE_PASS_LEASE_MS, otherPasses: ReadonlyMap<number, OtherPassRunner> = new Map()): Promise<{ tags: PassTag[]; changed: number }> {
  // A workspace records a pass per rule tag at most: all of them are read, and the holders of
  // those within their lease asked after. The owner is the tag's as it stands (none once it is gone).
  const recorded = await context.store.db
    .selectFrom('rule_passes')
    .leftJoin('tags', 'tags.id', 'rule_passes.tag_id')
    .select(['rule_passes.tag_id', 'rule_passes.tag_key', 'rule_passes.token', 'rule_passes.updated_at', 'tags.owner'])
    .where('rule_passes.workspace_id', '=', context.workspaceId)
    .orderBy('rule_passes.tag_key')
    .orderBy('rule_passes.tag_id')
    .execute();
  const leaseStart = context.now().getTime() - leaseMs;
  const stale = recorded.filter((pass) => Number(pass.updated_at) < leaseStart || holderGone(pass.token));
  const tags: PassTag[] = [];
  let changed = 0;
  for (const pass of stale) {
    const token = holderToken();
    const tag: PassTag = { id: Number(pass.tag_id), key: pass.tag_key, owner: pass.owner ? pass.owner : null };
    // Only if nobody took it over or saved the rule again since it was read.
    const taken = await context.store.db
      .updateTable('rule_passes')
      .set({ token, updated_at: context.now().getTime() })
      .where('workspace_id', '=', context.workspaceId)
      .where('tag_id', '=', tag.id)
      .where('token', '=', pass.token)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0) continue;
    const other = otherPasses.get(tag.id);
    changed += (other ? await other(context, token) : await runRulePass(context, tag, token)).changed;
    tags.push(tag);
  }
  return { tags, changed };
}
