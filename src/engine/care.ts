// Care automation (客户关怀): plans turn what customers do into reminders for the staff and
// for integrators. Triggers are read after the fact, from the events and the tag history, each
// plan keeping a cursor into them as a webhook does, so ingest and tagging pay nothing for
// them and a crash loses or repeats nothing. A reminder is scheduled when its trigger is read,
// falls due at its time (when the plan's condition and cancel rule are checked and its message
// is written), and is closed by whoever acted on it.
import type { Insertable, Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import {
  LATE_AFTER_MS,
  REMINDER_STATUS_LABELS,
  SKIP_REASON_LABELS,
  carePlanInputSchema,
  carePlanPatchSchema,
  eventPropertiesRead,
  eventPropertyText,
  localDay,
  messageLocale,
  messageTime,
  outsideQuietHours,
  parseStepOffset,
  parseTemplate,
  propertyText,
  renderTemplate,
  snoozeSchema,
  stepBeforeTrigger,
  stepsOutOfOrder,
  type CareCancel,
  type CarePlanDefinition,
  type CarePlanInput,
  type CarePlanPatch,
  type CareStep,
  type CareTrigger,
  type Placeholder,
  type QuietHours,
  type ReminderStatus,
  type SkipReason,
} from '../core/care.js';
import { TagbaseError, fieldProblem, jsonPointer, placedProblem, type ErrorCode, type ItemError, type PathSegment } from '../core/errors.js';
import { PlanProblems, planDraft, schemaProblemInEngine, type CarePlanDraft, type CareStepDraft, type SchemaProblem } from '../core/care-plan-problems.js';
import { diagnosticItem, diagnosticWithPlace } from '../core/expression-errors.js';
import { collectDependencies, compileExpression, evaluateExpression, segmentNestingDiagnostic, type AttributeType, type BoundExpression, type CustomerView } from '../core/expression/index.js';
import { localized, type Locale, type LocalizedText } from '../core/locale.js';
import { CUSTOMER_TYPES, CUSTOMER_TYPE_LABELS, CUSTOMER_TYPE_LABELS_EN, GENDERS, GENDER_LABELS, GENDER_LABELS_EN } from '../core/customer.js';
import type { PersonalDataView } from '../core/access.js';
import { maskedAsk, maskedAskProblem } from '../core/masked-asks.js';
import { maskMessageValues } from '../core/masked-message.js';
import { maskPersonalDataIn, maskPersonalMetricValue } from '../core/masked-properties.js';
import { metricValueLabels } from '../core/metric.js';
import { findByKeyOrName, nameClash } from '../core/names.js';
import type { TagDefinition } from '../core/tag.js';
import { DAY_MS, parseWorkspaceTime, toIso, toIsoOrNull, epochNumberToMillis } from '../core/time.js';
import { addDays, anniversaryMonthDays, calendarDate, dayStart } from '../core/expression/time-window.js';
import { REPORT_INPUT, parseInput } from '../core/validation.js';
import { assertSomethingToChange } from '../core/patch.js';
import { IDS_PER_QUERY, chunks, rowsPerInsert } from '../store/chunks.js';
import type { CareReminderTable, Database } from '../store/schema.js';
import { loadCustomerViews, loadWorkspaceCatalog, maskedSegmentReader, segmentNesting, type WorkspaceCatalog } from './catalog.js';
import { actorName, lockWorkspaceWrites, type WorkspaceContext } from './context.js';
import { loadIdentities, requireCustomer } from './customers.js';
import { getTagValue } from './library.js';
import { MERGE_SOURCE } from './history.js';
import { workspaceUtcOffset } from './metrics.js';
import { personalTagRead } from './personal-reads.js';
import { segmentAwareView } from './rules.js';
import { expressionAsMeant, expressionShownIn, loadExpressionShown, type ExpressionShown } from './shown-expressions.js';
import { readableAudience, segmentScope } from './segments.js';
import { unlessTaken } from './unique-keys.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface ReminderCounts {
  scheduled: number;
  due: number;
  done: number;
  dismissed: number;
  skipped: number;
}

export interface CarePlanJson {
  key: string;
  name: string;
  description: string | null;
  trigger: CareTrigger;
  condition: string | null;
  cancel_on: CareCancel | null;
  quiet_hours: QuietHours | null;
  steps: CareStep[];
  enabled: boolean;
  reminders: ReminderCounts;
  actor: string;
  created_at: string;
  updated_at: string;
}

export interface CareReminderJson {
  id: number;
  plan: { key: string; name: string };
  /** The step's place in its plan, from 1. */
  step: number;
  customer: { id: string; name: string | null };
  /** What started it: when the event happened, the tag changed or the birthday's day began (or the event's time property). */
  trigger_at: string;
  due_at: string;
  status: ReminderStatus;
  /** The message written when the reminder fell due; null before. */
  message: string | null;
  /** Why a skipped reminder was skipped. */
  reason: SkipReason | null;
  /** The reason in words; of a reminder a later event cancelled, naming the event. */
  reason_text: LocalizedText | null;
  /** Of a reminder a later event cancelled (`reason` `cancelled`): that event (null for one cancelled before events were kept). */
  cancelled_by: { type: string; event_id: string; occurred_at: string } | null;
  resolved_by: string | null;
  resolved_at: string | null;
  /** Of a reminder put off (scheduled again by 推迟) and not yet due again: who put it off and when; null otherwise. */
  snoozed_by: string | null;
  snoozed_at: string | null;
  created_at: string;
}

/** What a round of care did: reminders scheduled from new triggers, steps too late to schedule, and reminders that fell due or were skipped. */
export interface CareReport {
  scheduled: number;
  late: number;
  due: number;
  skipped: number;
}

type PlanRow = Awaited<ReturnType<typeof planRows>>[number];

function planRows(db: Db, workspaceId: number) {
  return db.selectFrom('care_plans').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute();
}

function definitionOf(row: PlanRow): CarePlanDefinition {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    trigger: JSON.parse(row.trigger) as CareTrigger,
    condition: row.condition,
    cancel_on: row.cancel_on === null ? null : (JSON.parse(row.cancel_on) as CareCancel),
    quiet_hours: row.quiet_hours === null ? null : (JSON.parse(row.quiet_hours) as QuietHours),
    steps: JSON.parse(row.steps) as CareStep[],
    enabled: Number(row.enabled) === 1,
  };
}

/** A plan as `shown` shows its conditions: masked for a role that sees personal data masked, as a saved segment's expression is. */
function planJson(row: PlanRow, reminders: ReminderCounts, shown: ExpressionShown): CarePlanJson {
  const plan = definitionOf(row);
  return {
    key: plan.key,
    name: plan.name,
    description: plan.description ?? null,
    trigger: plan.trigger,
    condition: plan.condition ? shown(plan.condition) : null,
    cancel_on: plan.cancel_on ?? null,
    quiet_hours: plan.quiet_hours ?? null,
    steps: plan.steps.map((step) => (step.condition ? { ...step, condition: shown(step.condition) } : step)),
    enabled: plan.enabled ?? true,
    reminders,
    actor: row.actor,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

const NO_REMINDERS: ReminderCounts = { scheduled: 0, due: 0, done: 0, dismissed: 0, skipped: 0 };

async function reminderCounts(db: Db, planIds: readonly number[]): Promise<Map<number, ReminderCounts>> {
  const counts = new Map<number, ReminderCounts>();
  if (planIds.length === 0) return counts;
  const rows = await db
    .selectFrom('care_reminders')
    .select((eb) => ['plan_id', 'status', eb.fn.countAll<number>().as('count')])
    .where('plan_id', 'in', planIds)
    .groupBy(['plan_id', 'status'])
    .execute();
  for (const row of rows) {
    const entry = counts.get(row.plan_id) ?? { ...NO_REMINDERS };
    if (row.status in entry) entry[row.status as keyof ReminderCounts] = Number(row.count);
    counts.set(row.plan_id, entry);
  }
  return counts;
}

export async function listCarePlans(context: WorkspaceContext): Promise<CarePlanJson[]> {
  const rows = await planRows(context.store.db, context.workspaceId);
  const counts = await reminderCounts(context.store.db, rows.map((row) => row.id));
  const shown = await loadExpressionShown(context);
  return rows.map((row) => planJson(row, counts.get(row.id) ?? NO_REMINDERS, shown));
}

async function requirePlan(context: WorkspaceContext, keyOrName: string, db: Db = context.store.db): Promise<PlanRow> {
  const rows = await planRows(db, context.workspaceId);
  const row = findByKeyOrName(rows, keyOrName);
  if (!row) throw new TagbaseError('CARE_PLAN_NOT_FOUND', { plan: keyOrName });
  return row;
}

/**
 * Plans are found by key, then by name: a new key or name that another plan already answers to
 * (as its name, or a name as its key) would leave one of them out of reach by it.
 */
function assertPlanNamesFree(rows: readonly PlanRow[], given: { key?: string | undefined; name?: string | undefined }, exceptId?: number): void {
  const clash = nameClash(rows.filter((row) => row.id !== exceptId), given);
  if (clash) throw new TagbaseError('CARE_PLAN_NAME_TAKEN', { plan: clash.other.key, name: clash.name });
}

/** One plan as answered, with its reminders counted. */
async function counted(context: WorkspaceContext, row: PlanRow): Promise<CarePlanJson> {
  return planJson(row, (await reminderCounts(context.store.db, [row.id])).get(row.id) ?? NO_REMINDERS, await loadExpressionShown(context));
}

export async function getCarePlan(context: WorkspaceContext, keyOrName: string): Promise<CarePlanJson> {
  return counted(context, await requirePlan(context, keyOrName));
}

/** A tag a plan names, shared with everyone (a personal tag is one person's, not a plan's). */
function sharedTag(catalog: WorkspaceCatalog, keyOrName: string): TagDefinition | undefined {
  const shared = catalog.tags.filter((tag) => tag.scope === 'enterprise');
  return findByKeyOrName(shared, keyOrName);
}

function attributeKey(attributes: readonly { key: string; name?: string | undefined }[], keyOrName: string): string | undefined {
  return findByKeyOrName(attributes, keyOrName)?.key;
}

/** A problem of the plan's own making at `path` (`steps.1.message`), said in `detail` and placed in `errors[]`. */
function invalidAt(path: string, text: LocalizedText): TagbaseError {
  return placedProblem('CARE_PLAN_INVALID', { detail: text }, 'body', path, text);
}

/**
 * Checks a plan against the workspace — its tags, values, fields, metrics, condition and
 * placeholders exist — adding each problem to `problems` rather than stopping at the first, and
 * answers its trigger with its tag and value as keys (undefined when the trigger does not read).
 */
function checkPlan(catalog: WorkspaceCatalog, plan: CarePlanDraft, asker: Asker, problems: PlanProblems): CareTrigger | undefined {
  let trigger = plan.trigger;
  const kind = trigger?.kind;
  if (trigger !== undefined && (trigger.kind === 'tag_added' || trigger.kind === 'tag_removed')) {
    const tag = sharedTag(catalog, trigger.tag);
    if (!tag) {
      // A new plan's trigger is the request's; a saved plan's (which a change cannot touch) is not.
      if (asker.saved !== undefined) throw new TagbaseError('TAG_NOT_FOUND', { tag: trigger.tag });
      problems.add(fieldProblem('TAG_NOT_FOUND', 'body', 'trigger.tag', { tag: trigger.tag }));
      trigger = undefined;
    } else {
      const value = trigger.value === undefined ? undefined : triggerValue(tag, trigger.value, asker, problems);
      trigger = value === null ? undefined : { kind: trigger.kind, tag: tag.key, ...(value === undefined ? {} : { value: value.key }) };
    }
  }
  if (plan.cancel_on?.same_property && kind !== undefined && kind !== 'event') {
    problems.add(invalidAt('cancel_on.same_property', localized('cancel_on.same_property compares with the trigger event: it needs an event trigger', 'cancel_on.same_property 与触发行为比较，只能用于行为触发')));
  }
  checkConditions(catalog, plan, asker, problems);
  plan.steps.forEach((step, index) => {
    if (step.message === undefined) return;
    const path = `steps.${index}.message`;
    const parsed = parseTemplate(step.message);
    if ('error' in parsed) {
      problems.add(invalidAt(path, localized(`step ${index + 1}: ${parsed.error.en}`, `第 ${index + 1} 步：${parsed.error['zh-CN']}`)));
      return;
    }
    for (const part of parsed.parts) {
      if (typeof part === 'string') continue;
      const missing = missingReference(catalog, kind, part);
      if (missing) problems.add(invalidAt(path, localized(`step ${index + 1}: ${missing.en}`, `第 ${index + 1} 步：${missing['zh-CN']}`)));
    }
  });
  return trigger;
}

/** The trigger's value of `tag`; one it does not have is placed at `trigger.value` of a new plan's request, as its tag is (null then). */
function triggerValue(tag: TagDefinition, keyOrName: string, asker: Asker, problems: PlanProblems) {
  try {
    return getTagValue(tag, keyOrName);
  } catch (error) {
    if (asker.saved !== undefined || !(error instanceof TagbaseError)) throw error;
    problems.add(placedProblem(error.code, error.params, 'body', 'trigger.value', localized(error.messageIn('en'), error.messageIn('zh-CN'))));
    return null;
  }
}

/** A plan's conditions, each with where it sits in the plan (`condition`, `steps.1.condition`) and how a message names it. */
function conditionsOf(plan: Pick<CarePlanDraft, 'condition' | 'steps'>): { source: string; path: PathSegment[]; name: LocalizedText }[] {
  const conditions = plan.condition ? [{ source: plan.condition, path: ['condition'] as PathSegment[], name: localized("the plan's condition", '计划的条件') }] : [];
  plan.steps.forEach((step, index) => {
    if (step.condition) conditions.push({ source: step.condition, path: ['steps', index, 'condition'], name: localized(`step ${index + 1}'s condition`, `第 ${index + 1} 步的条件`) });
  });
  return conditions;
}

/**
 * Who writes a plan: how they see personal data, and the plan as it was saved, whose conditions
 * kept as they were are its author's, not theirs.
 */
interface Asker {
  view: PersonalDataView | undefined;
  saved?: CarePlanDefinition | undefined;
}

/**
 * Every condition compiles, and reads no personal tag: a plan runs for everyone, whoever made
 * it. A condition the caller writes asks of personal data no more than the caller may see
 * (src/core/masked-asks.ts). Conditions that do not compile are refused together, each diagnostic in `errors[]` at
 * the condition's path and pointer, the detail naming each condition with its first problem.
 */
function checkConditions(catalog: WorkspaceCatalog, plan: CarePlanDraft, asker: Asker, problems: PlanProblems): void {
  const items: ItemError[] = [];
  const details: LocalizedText[] = [];
  let code: ErrorCode | undefined;
  const compiled: { bound: BoundExpression; name: LocalizedText; path: PathSegment[]; source: string }[] = [];
  const nesting = segmentNesting(catalog.segments);
  for (const { source, path, name } of conditionsOf(plan)) {
    const result = compileExpression(source, catalog.catalog);
    // A condition nesting past the limit through the saved segments it reads is refused as one nesting past it itself.
    const deep = result.bound && segmentNestingDiagnostic(source, nesting(source));
    if (result.bound && !deep) {
      compiled.push({ bound: result.bound, name, path, source });
      continue;
    }
    const diagnostics = deep ? [deep] : result.diagnostics;
    const first = diagnostics[0];
    code ??= first?.code ?? 'EXPRESSION_SYNTAX';
    const place = first ? diagnosticWithPlace(first) : localized('not a valid expression', '不是有效的表达式');
    details.push(localized(`${name.en}: ${place.en}`, `${name['zh-CN']}：${place['zh-CN']}`));
    const pointer = jsonPointer(path);
    for (const diagnostic of diagnostics) items.push({ ...diagnosticItem(diagnostic, 0, path.join('.')), pointer });
  }
  if (code !== undefined) {
    problems.add(new TagbaseError(code, { detail: localized(details.map((detail) => detail.en).join('; '), details.map((detail) => detail['zh-CN']).join('；')) }, items));
  }
  for (const { bound, name, path } of compiled) {
    const read = personalTagRead(catalog, collectDependencies(bound));
    if (!read) continue;
    const text = localized(
      `${name.en} reads the personal tag "${read.name}", which only its owner sees; a plan runs for everyone, so its conditions read shared tags`,
      `${name['zh-CN']}读取了个人标签「${read.name}」，该标签只有其创建者可见；计划对所有人运行，条件只能读取企业标签`,
    );
    problems.add(placedProblem('CARE_PLAN_INVALID', { detail: text }, 'body', path.join('.'), text));
  }
  const kept = new Set((asker.saved ? conditionsOf(asker.saved) : []).map(({ source }) => source));
  for (const { bound, name, path, source } of compiled) {
    if (asker.view !== 'masked' || kept.has(source)) continue;
    const ask = maskedAsk(bound, catalog.metrics, maskedSegmentReader(catalog));
    if (ask) problems.add(maskedAskProblem(ask, { path: path.join('.'), pointer: path, about: name }));
  }
}

/**
 * The conditions a caller shown the plan's conditions masked sends back (the console sends the
 * whole plan), as they mean them: one kept as it was shown stays as it was saved, not the mask
 * (src/engine/shown-expressions.ts).
 */
function conditionsAsMeant<Patch extends Pick<CarePlanDraft, 'condition'> & { steps?: CareStepDraft[] | undefined }>(shown: ExpressionShown, saved: CarePlanDefinition, patch: Patch): Patch {
  const kept = conditionsOf(saved).map(({ source }) => source);
  const meant = (sent: string, path: string) => expressionAsMeant(shown, kept, sent, path);
  return {
    ...patch,
    ...(patch.condition ? { condition: meant(patch.condition, 'condition') } : {}),
    ...(patch.steps ? { steps: patch.steps.map((step, index) => (step.condition ? { ...step, condition: meant(step.condition, `steps.${index}.condition`) } : step)) } : {}),
  };
}

/**
 * Refuses a step before its trigger when nothing could ever remind of it (see `stepBeforeTrigger`),
 * and steps out of the order they fall due; when each step's time reads (the schema tells the others).
 */
function checkStepTimes(trigger: CareTrigger | undefined, steps: readonly CareStepDraft[], problems: PlanProblems): void {
  const timed = steps.flatMap((step) => (step.after === undefined ? [] : [{ after: step.after }]));
  if (trigger === undefined || timed.length < steps.length) return;
  const problem = stepBeforeTrigger(trigger, timed) ?? stepsOutOfOrder(timed);
  if (problem) problems.add(invalidAt('steps', problem));
}

function missingReference(catalog: WorkspaceCatalog, kind: CareTrigger['kind'] | undefined, placeholder: Placeholder): LocalizedText | undefined {
  switch (placeholder.kind) {
    case 'name':
    case 'customer_id':
      return undefined;
    case 'tag':
      return sharedTag(catalog, placeholder.key) ? undefined : localized(`{tag:${placeholder.key}}: no shared tag of that key or name`, `{tag:${placeholder.key}}：没有这个键或名称的企业标签`);
    case 'field':
      return attributeKey(catalog.catalog.fields, placeholder.key) ? undefined : localized(`{field:${placeholder.key}}: no field of that key or name`, `{field:${placeholder.key}}：没有这个键或名称的字段`);
    case 'metric':
      return attributeKey(catalog.catalog.metrics, placeholder.key) ? undefined : localized(`{metric:${placeholder.key}}: no metric of that key or name`, `{metric:${placeholder.key}}：没有这个键或名称的指标`);
    case 'event':
      return kind === 'event' || kind === undefined ? undefined : localized(`{event:${placeholder.key}} reads the trigger event: it needs an event trigger`, `{event:${placeholder.key}} 读取触发行为的属性，只能用于行为触发`);
  }
}

/**
 * Where a new (or switched on) plan starts reading its trigger: what happens from now on — the
 * newest event or tag change, or for birthdays, today (yesterday is the last day done). A
 * birthday plan switched off and on the same day has read today already (`lastDayRead`):
 * reading it again would greet today's birthdays twice.
 */
async function startingPoint(db: Db, trigger: CareTrigger, now: number, utcOffsetMinutes: number, lastDayRead?: number | null): Promise<{ cursor: number; last_day: number | null }> {
  if (trigger.kind === 'birthday') {
    const yesterday = localDay(now, utcOffsetMinutes) - 1;
    return { cursor: 0, last_day: lastDayRead === null || lastDayRead === undefined ? yesterday : Math.max(yesterday, Number(lastDayRead)) };
  }
  const table = trigger.kind === 'event' ? 'events' : 'tag_history';
  const row = await db.selectFrom(table).select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return { cursor: Number(row?.id ?? 0), last_day: null };
}

/** The columns a plan's definition is stored in, apart from its key and trigger (which never change). */
function storedColumns(plan: CarePlanDefinition) {
  return {
    name: plan.name,
    description: plan.description ?? null,
    condition: plan.condition || null,
    cancel_on: plan.cancel_on ? JSON.stringify(plan.cancel_on) : null,
    quiet_hours: plan.quiet_hours ? JSON.stringify(plan.quiet_hours) : null,
    steps: JSON.stringify(plan.steps),
    enabled: plan.enabled === false ? 0 : 1,
  };
}

/** Saves a plan; it reacts to what happens from now on, not to what is already stored. */
export async function createCarePlan(context: WorkspaceContext, raw: CarePlanInput, schemaProblem: SchemaProblem = schemaProblemInEngine): Promise<CarePlanJson> {
  // Every problem at once: those the schema finds, and those of the fields that read on their own.
  const problems = new PlanProblems();
  const parsed = carePlanInputSchema.safeParse(raw, REPORT_INPUT);
  if (!parsed.success) problems.add(schemaProblem(parsed.error));
  const draft: CarePlanDraft = parsed.success ? parsed.data : { steps: [], ...planDraft(raw) };
  checkStepTimes(draft.trigger, draft.steps, problems);
  const catalog = await loadWorkspaceCatalog(context);
  const trigger = checkPlan(catalog, draft, { view: context.personalData }, problems);
  problems.throwIfAny();
  // Without a problem the schema read the body and the trigger read too.
  if (!parsed.success || trigger === undefined) throw new TagbaseError('INTERNAL', { detail: 'a care plan without problems did not read' });
  const plan: CarePlanDefinition = { ...parsed.data, trigger };
  const existing = await planRows(context.store.db, context.workspaceId);
  if (existing.some((row) => row.key === plan.key)) throw new TagbaseError('CARE_PLAN_EXISTS', { plan: plan.key });
  assertPlanNamesFree(existing, { key: plan.key, name: plan.name });
  const now = context.now().getTime();
  const row = await unlessTaken(
    'care_plans',
    () => new TagbaseError('CARE_PLAN_EXISTS', { plan: plan.key }),
    () =>
      context.store.db.transaction().execute(async (trx) => {
        // Under the write lock, so that no event or change of this workspace commits below the cursor afterwards.
        await lockWorkspaceWrites(context, trx);
        return trx
          .insertInto('care_plans')
          .values({
            workspace_id: context.workspaceId,
            key: plan.key,
            trigger: JSON.stringify(plan.trigger),
            ...storedColumns(plan),
            ...(await startingPoint(trx, plan.trigger, now, catalog.utcOffsetMinutes)),
            actor: actorName(context),
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
      }),
  );
  return planJson(row, NO_REMINDERS, expressionShownIn(context, catalog));
}

/**
 * Changes a plan. New steps and messages apply to reminders scheduled from then on; a plan
 * switched back on reacts to what happens from then on, not to what it missed while off.
 */
export async function updateCarePlan(context: WorkspaceContext, keyOrName: string, raw: CarePlanPatch, schemaProblem: SchemaProblem = schemaProblemInEngine): Promise<CarePlanJson> {
  // Every problem at once: those the schema finds, and those of the fields that read on their own.
  const problems = new PlanProblems();
  const parsed = carePlanPatchSchema.safeParse(raw, REPORT_INPUT);
  if (!parsed.success) problems.add(schemaProblem(parsed.error));
  if (parsed.success) {
    // The key and trigger are in the schema only to be refused in words; they never get past it.
    const { key: _key, trigger: _trigger, ...change } = parsed.data;
    assertSomethingToChange(change, ['name', 'description', 'condition', 'cancel_on', 'quiet_hours', 'steps', 'enabled']);
  }
  // What the checks beyond the schema read of the change: the fields it sends, as far as they read.
  const sent: Partial<CarePlanDraft> = parsed.success ? parsed.data : planDraft(raw);
  const patch: Partial<CarePlanDraft> = {
    ...('condition' in sent ? { condition: sent.condition } : {}),
    ...('cancel_on' in sent ? { cancel_on: sent.cancel_on } : {}),
    ...('steps' in sent ? { steps: sent.steps } : {}),
  };
  const catalog = await loadWorkspaceCatalog(context);
  const now = context.now().getTime();
  const row = await context.store.db.transaction().execute(async (trx) => {
    await lockWorkspaceWrites(context, trx);
    const current = await requirePlan(context, keyOrName, trx).catch((error: unknown) => {
      // A body that does not read is told first, as before it was read further.
      problems.throwIfAny();
      throw error;
    });
    const before = definitionOf(current);
    const meant = conditionsAsMeant(expressionShownIn(context, catalog), before, patch);
    // Only steps given now: a plan saved before this was checked can still be switched off or renamed.
    if (meant.steps !== undefined) checkStepTimes(before.trigger, meant.steps, problems);
    const trigger = checkPlan(catalog, { ...before, ...meant }, { view: context.personalData, saved: before }, problems);
    problems.throwIfAny();
    // Without a problem the schema read the change, and the saved trigger reads.
    if (!parsed.success || trigger === undefined) throw new TagbaseError('INTERNAL', { detail: 'a care plan change without problems did not read' });
    const { key: _k, trigger: _t, ...change } = parsed.data;
    if (change.name !== undefined && change.name !== current.name) assertPlanNamesFree(await planRows(trx, context.workspaceId), { name: change.name }, current.id);
    const plan: CarePlanDefinition = { ...before, ...conditionsAsMeant(expressionShownIn(context, catalog), before, change), trigger };
    const switchedOn = before.enabled === false && plan.enabled !== false;
    if (change.quiet_hours) await keepOutOfQuietHours(trx, current.id, change.quiet_hours, catalog.utcOffsetMinutes);
    return trx
      .updateTable('care_plans')
      .set({ ...storedColumns(plan), ...(switchedOn ? await startingPoint(trx, plan.trigger, now, catalog.utcOffsetMinutes, current.last_day) : {}), updated_at: now })
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return counted(context, row);
}

/**
 * Moves the plan's reminders not yet due out of its new quiet hours, as if they had been
 * scheduled with them: quiet hours set because reminders went out at night keep those already
 * scheduled from going out at night too.
 */
async function keepOutOfQuietHours(trx: Transaction<Database>, planId: number, hours: QuietHours, utcOffsetMinutes: number): Promise<void> {
  const scheduled = await trx.selectFrom('care_reminders').select(['id', 'due_at']).where('plan_id', '=', planId).where('status', '=', 'scheduled').execute();
  const moved = groupedBy(
    scheduled.filter((row) => outsideQuietHours(Number(row.due_at), hours, utcOffsetMinutes) !== Number(row.due_at)),
    (row) => outsideQuietHours(Number(row.due_at), hours, utcOffsetMinutes),
  );
  // One update per new time: those moved to the end of the same night share it.
  for (const [dueAt, rows] of moved) {
    for (const part of chunks(rows.map((row) => row.id), IDS_PER_QUERY)) await trx.updateTable('care_reminders').set({ due_at: dueAt }).where('id', 'in', part).where('status', '=', 'scheduled').execute();
  }
}

/** Deletes a plan and its reminders, those done included. */
export async function deleteCarePlan(context: WorkspaceContext, keyOrName: string): Promise<void> {
  await context.store.db.transaction().execute(async (trx) => {
    const plan = await requirePlan(context, keyOrName, trx);
    await trx.deleteFrom('care_reminders').where('plan_id', '=', plan.id).execute();
    await trx.deleteFrom('care_plans').where('id', '=', plan.id).execute();
  });
}

// ------------------------------------------------------------------- scheduling

/** Trigger rows read per plan per transaction. */
const TRIGGERS_PER_ROUND = 2000;

interface Trigger {
  customerId: number;
  /** What the steps count from. */
  at: number;
  data: TriggerData;
}

/**
 * What a reminder keeps of its trigger: when it happened, and the event properties the plan
 * reads; and once a later event cancelled it (the plan's `cancel_on`), which event.
 */
export interface TriggerData {
  occurred_at: number;
  /** Of a birthday greeting, the day it was read for (`YYYY-MM-DD`), as the workspace's calendar had it then. */
  day?: string;
  /** Of an event trigger, the event's stored id: it is no later event that cancels its own reminder. */
  event?: number;
  properties?: Record<string, unknown>;
  /** Of a tag trigger, the tag history row that recorded the change. */
  change?: number;
  cancelled_by?: CancellingEvent;
  /** Of a reminder put off: who did it and when, and its time and message before, which bringing it back (unsnooze) restores. */
  snoozed?: Snoozed;
}

interface Snoozed {
  by: string;
  at: number;
  due_at: number;
  message: string | null;
}

/** The event that cancelled a reminder: its type, its id (the client's) and when it happened. */
interface CancellingEvent {
  type: string;
  event_id: string;
  occurred_at: number;
}

type NewReminder = Insertable<CareReminderTable>;

function remindersOf(context: WorkspaceContext, plan: PlanRow, triggers: readonly Trigger[], now: number, utcOffsetMinutes: number): { rows: NewReminder[]; late: number } {
  const { steps, quiet_hours: quietHours } = definitionOf(plan);
  const rows: NewReminder[] = [];
  let late = 0;
  for (const trigger of triggers) {
    steps.forEach((step, index) => {
      const stepAt = trigger.at + (parseStepOffset(step.after) ?? 0);
      if (stepAt < now - LATE_AFTER_MS) {
        late++;
        return;
      }
      const dueAt = outsideQuietHours(stepAt, quietHours, utcOffsetMinutes);
      rows.push({
        workspace_id: context.workspaceId,
        plan_id: plan.id,
        step: index,
        customer_id: trigger.customerId,
        trigger_at: trigger.at,
        due_at: dueAt,
        status: 'scheduled',
        template: step.message,
        condition: step.condition || null,
        trigger_data: JSON.stringify(trigger.data),
        message: null,
        reason: null,
        resolved_by: null,
        resolved_at: null,
        created_at: now,
      });
    });
  }
  return { rows, late };
}

/** The triggers after the plan's cursor up to `upTo`, at most a round's worth, and the cursor to move to. */
async function readTriggers(trx: Transaction<Database>, context: WorkspaceContext, plan: PlanRow, catalog: WorkspaceCatalog, upTo: number): Promise<{ triggers: Trigger[]; cursor: number }> {
  const trigger = JSON.parse(plan.trigger) as CareTrigger;
  const cursor = Number(plan.cursor);
  const advanced = (rows: readonly { id: number }[]) => (rows.length === TRIGGERS_PER_ROUND ? Number(rows[rows.length - 1]?.id) : upTo);
  if (trigger.kind === 'event') {
    const rows = await trx
      .selectFrom('events')
      .select(['id', 'customer_id', 'occurred_at', 'properties'])
      .where('workspace_id', '=', context.workspaceId)
      .where('id', '>', cursor)
      .where('id', '<=', upTo)
      .where('type', '=', trigger.event_type)
      .orderBy('id')
      .limit(TRIGGERS_PER_ROUND)
      .execute();
    const kept = eventPropertiesRead(definitionOf(plan));
    const triggers = rows.flatMap((row): Trigger[] => {
      const properties = JSON.parse(row.properties) as Record<string, unknown>;
      const occurredAt = Number(row.occurred_at);
      let at = occurredAt;
      if (trigger.time_property !== undefined) {
        const value = properties[trigger.time_property];
        // Without an offset, on the workspace's clock: a coupon that expires 2026-12-01 does so at that day's start there.
        const parsed = typeof value === 'string' ? parseWorkspaceTime(value, catalog.utcOffsetMinutes) : typeof value === 'number' ? epochNumberToMillis(value) : undefined;
        if (parsed === undefined) return [];
        at = parsed;
      }
      return [{ customerId: row.customer_id, at, data: { occurred_at: occurredAt, event: Number(row.id), properties: Object.fromEntries(kept.filter((key) => key in properties).map((key) => [key, properties[key]])) } }];
    });
    return { triggers, cursor: advanced(rows) };
  }
  if (trigger.kind === 'tag_added' || trigger.kind === 'tag_removed') {
    const ids = catalog.tagIds.get(trigger.tag);
    if (!ids) return { triggers: [], cursor: upTo };
    const valueId = trigger.value === undefined ? undefined : ids.values.get(trigger.value);
    if (trigger.value !== undefined && valueId === undefined) return { triggers: [], cursor: upTo };
    let query = trx
      .selectFrom('tag_history')
      .select(['id', 'customer_id', 'at', 'action', 'merged_from'])
      .where('workspace_id', '=', context.workspaceId)
      .where('id', '>', cursor)
      .where('id', '<=', upTo)
      .where('tag_id', '=', ids.id)
      // What a merge wrote for webhooks: the person neither gained nor lost a value.
      .where('source', '<>', MERGE_SOURCE)
      // An undo of a bulk tagging puts back what the customer held before: nothing new to react to.
      .where('undone_operation', 'is', null);
    if (trigger.kind === 'tag_added') {
      query = query.where('action', 'in', ['add', 'replace']);
      if (valueId !== undefined) query = query.where('value_id', '=', valueId);
    } else if (valueId === undefined) query = query.where('action', 'in', ['remove', 'expire']);
    else query = query.where((eb) => eb.or([eb.and([eb('action', 'in', ['remove', 'expire']), eb('value_id', '=', valueId)]), eb.and([eb('action', '=', 'replace'), eb('previous_value_id', '=', valueId)])]));
    const rows = await query.orderBy('id').limit(TRIGGERS_PER_ROUND).execute();
    // A merge's dropped copy of a value the survivor still holds: the customer lost nothing.
    const triggers = rows.filter((row) => !(row.action === 'remove' && row.merged_from !== null)).map((row) => ({ customerId: row.customer_id, at: Number(row.at), data: { occurred_at: Number(row.at), change: Number(row.id) } }));
    return { triggers, cursor: advanced(rows) };
  }
  return { triggers: [], cursor: upTo };
}

/**
 * Schedules a round's worth of what the plan's trigger saw since its cursor, moving the cursor in
 * the same transaction, which holds the workspace's write lock; false when there was nothing to read.
 */
export async function scheduleFromLogIn(trx: Transaction<Database>, context: WorkspaceContext, planId: number, catalog: WorkspaceCatalog): Promise<false | { scheduled: number; late: number; more: boolean }> {
  const current = await trx.selectFrom('care_plans').selectAll().where('id', '=', planId).executeTakeFirst();
  if (!current || Number(current.enabled) !== 1) return false;
  // Under the write lock: every event and tag change of the workspace up to `upTo` has committed.
  const table = (JSON.parse(current.trigger) as CareTrigger).kind === 'event' ? 'events' : 'tag_history';
  const upTo = Number((await trx.selectFrom(table).select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0);
  if (Number(current.cursor) >= upTo) return false;
  const { triggers, cursor } = await readTriggers(trx, context, current, catalog, upTo);
  const { rows, late } = remindersOf(context, current, triggers, context.now().getTime(), catalog.utcOffsetMinutes);
  for (const slice of chunks(rows, rowsPerInsert(14))) await trx.insertInto('care_reminders').values(slice).execute();
  await trx.updateTable('care_plans').set({ cursor }).where('id', '=', planId).execute();
  return { scheduled: rows.length, late, more: cursor < upTo };
}

/** Schedules what the plan's trigger saw since its cursor, a round's worth per transaction. */
async function scheduleFromLog(context: WorkspaceContext, plan: PlanRow, catalog: WorkspaceCatalog, report: CareReport): Promise<void> {
  for (;;) {
    const round = await context.store.db.transaction().execute(async (trx) => {
      await lockWorkspaceWrites(context, trx);
      return scheduleFromLogIn(trx, context, plan.id, catalog);
    });
    if (!round) return;
    report.scheduled += round.scheduled;
    report.late += round.late;
    if (!round.more) return;
  }
}

/** At most this many days a server that was down catches up on birthdays. */
const BIRTHDAY_CATCH_UP_DAYS = 7;

async function scheduleBirthdays(context: WorkspaceContext, plan: PlanRow, catalog: WorkspaceCatalog, report: CareReport): Promise<void> {
  const trigger = JSON.parse(plan.trigger) as Extract<CareTrigger, { kind: 'birthday' }>;
  const now = context.now().getTime();
  const today = localDay(now, catalog.utcOffsetMinutes);
  const counted = { scheduled: 0, late: 0 };
  await context.store.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('care_plans').select(['last_day', 'enabled']).where('id', '=', plan.id).executeTakeFirst();
    const lastDay = current?.last_day === null || current?.last_day === undefined ? today - 1 : Number(current.last_day);
    if (!current || Number(current.enabled) !== 1) return;
    if (lastDay >= today) {
      counted.scheduled += await scheduleLateBirthdays(context, trx, plan, trigger, today, now, catalog.utcOffsetMinutes);
      return;
    }
    for (let day = Math.max(lastDay + 1, today - BIRTHDAY_CATCH_UP_DAYS + 1); day <= today; day++) {
      // Those whose birthday is `days_before` days after this day (29 February on the 28th in other years).
      const date = calendarDate(day * DAY_MS);
      const born = anniversaryMonthDays(addDays(date, trigger.days_before ?? 0), 0);
      const customers = await trx
        .selectFrom('customers')
        .select('id')
        .where('workspace_id', '=', context.workspaceId)
        .where('merged_into', 'is', null)
        .where((eb) => eb.fn('substr', ['birthday', eb.lit(6), eb.lit(5)]), 'in', born)
        .orderBy('id')
        .execute();
      const at = dayStart(date, catalog.utcOffsetMinutes);
      const { rows, late } = remindersOf(context, plan, customers.map((row) => ({ customerId: row.id, at, data: { occurred_at: at, day: date } })), now, catalog.utcOffsetMinutes);
      for (const slice of chunks(rows, rowsPerInsert(14))) await trx.insertInto('care_reminders').values(slice).execute();
      counted.scheduled += rows.length;
      counted.late += late;
    }
    // Only forward: another round that got here first has scheduled these days already.
    const moved = await trx.updateTable('care_plans').set({ last_day: today }).where('id', '=', plan.id).where((eb) => eb.or([eb('last_day', 'is', null), eb('last_day', '<', today)])).executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) throw new SameWorkDone();
  }).then(
    () => {
      report.scheduled += counted.scheduled;
      report.late += counted.late;
    },
    (error: unknown) => {
      if (!(error instanceof SameWorkDone)) throw error;
    },
  );
}

/**
 * Today's birthdays among customers written since today's were read: one added this afternoon,
 * or whose birthday was filled in or corrected, would otherwise wait a year. Those the plan has
 * a reminder for at today's trigger already (or at the same day's start in the zone the workspace
 * was in when it was read) are left alone, so a customer is greeted once
 * however often it is written; one whose greeting would be more than a day late is skipped
 * without being counted again at every round.
 */
async function scheduleLateBirthdays(
  context: WorkspaceContext,
  trx: Transaction<Database>,
  plan: PlanRow,
  trigger: Extract<CareTrigger, { kind: 'birthday' }>,
  today: number,
  now: number,
  utcOffsetMinutes: number,
): Promise<number> {
  const date = calendarDate(today * DAY_MS);
  const at = dayStart(date, utcOffsetMinutes);
  const newcomers = () =>
    trx
      .selectFrom('customers')
      .select('id')
      .where('workspace_id', '=', context.workspaceId)
      .where('updated_at', '>=', at)
      .where('merged_into', 'is', null)
      .where((eb) => eb.fn('substr', ['birthday', eb.lit(6), eb.lit(5)]), 'in', anniversaryMonthDays(addDays(date, trigger.days_before ?? 0), 0))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('care_reminders')
              .select('care_reminders.id')
              .where('care_reminders.plan_id', '=', plan.id)
              .whereRef('care_reminders.customer_id', '=', 'customers.id')
              // Today's, whenever the day began: in the zone the workspace was in when it was read
              // (less than a day either side; yesterday's, in the same zone, is a day before).
              .where('care_reminders.trigger_at', '>', at - DAY_MS)
              .where('care_reminders.trigger_at', '<', at + DAY_MS),
          ),
        ),
      )
      .orderBy('id')
      .execute();
  // Most rounds find nobody, and write nothing. One that finds someone holds the plan's row until
  // its commit and reads again: two servers' rounds would otherwise both schedule the newcomer.
  if ((await newcomers()).length === 0) return 0;
  await trx.updateTable('care_plans').set((eb) => ({ last_day: eb.ref('last_day') })).where('id', '=', plan.id).execute();
  const customers = await newcomers();
  if (customers.length === 0) return 0;
  const { rows } = remindersOf(context, plan, customers.map((row) => ({ customerId: row.id, at, data: { occurred_at: at, day: date } })), now, utcOffsetMinutes);
  for (const slice of chunks(rows, rowsPerInsert(14))) await trx.insertInto('care_reminders').values(slice).execute();
  return rows.length;
}

/** Rolls back a round another process did first. */
class SameWorkDone extends Error {}

// ------------------------------------------------------------------- falling due

/** Reminders brought due per transaction. */
const DUE_PER_ROUND = 500;

type ReminderRow = Awaited<ReturnType<typeof dueReminders>>[number];

function dueReminders(db: Db, workspaceId: number, now: number) {
  return db.selectFrom('care_reminders').selectAll().where('workspace_id', '=', workspaceId).where('status', '=', 'scheduled').where('due_at', '<=', now).orderBy('due_at').orderBy('id').limit(DUE_PER_ROUND).execute();
}

function groupedBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return groups;
}

/** For each reminder of a plan with a cancel rule that a later event cancelled, the first such event. */
async function cancelledReminders(db: Db, rule: CareCancel, trigger: CareTrigger, reminders: readonly ReminderRow[]): Promise<Map<number, CancellingEvent>> {
  const cancelled = new Map<number, CancellingEvent>();
  const cancel = (reminder: ReminderRow, event: { event_key: string; occurred_at: number }) => {
    const earlier = cancelled.get(reminder.id);
    if (!earlier || Number(event.occurred_at) < earlier.occurred_at) cancelled.set(reminder.id, { type: rule.event_type, event_id: event.event_key, occurred_at: Number(event.occurred_at) });
  };
  const byCustomer = groupedBy(reminders, (reminder) => reminder.customer_id);
  // A reminder keeps only the properties its plan read when it was scheduled: one scheduled
  // before the rule was added (or changed to another property) reads it from its trigger event.
  const triggerProperties = new Map<number, Record<string, unknown>>();
  if (rule.same_property !== undefined) {
    const property = rule.same_property;
    const unread = reminders.flatMap((reminder) => {
      const data = JSON.parse(reminder.trigger_data) as TriggerData;
      return data.event !== undefined && !(property in (data.properties ?? {})) ? [data.event] : [];
    });
    for (const part of chunks([...new Set(unread)], IDS_PER_QUERY)) {
      for (const event of await db.selectFrom('events').select(['id', 'properties']).where('id', 'in', part).execute()) triggerProperties.set(Number(event.id), JSON.parse(event.properties) as Record<string, unknown>);
    }
  }

  for (const part of chunks([...byCustomer.keys()], IDS_PER_QUERY)) {
    const events = await db.selectFrom('events').select(['id', 'customer_id', 'event_key', 'occurred_at', 'properties']).where('customer_id', 'in', part).where('type', '=', rule.event_type).execute();
    for (const event of events) {
      for (const reminder of byCustomer.get(event.customer_id) ?? []) {
        const data = JSON.parse(reminder.trigger_data) as TriggerData;
        // What happened after the reminder's time (read late, by a round that was held up) does not undo it.
        if (Number(event.occurred_at) > Number(reminder.due_at)) continue;
        // Nor does the trigger itself, when the rule names the trigger's type (no new order within 30 days of one):
        // by its id, or for a reminder scheduled before ids were kept, by its type and time.
        const itself = data.event !== undefined ? Number(event.id) === data.event : trigger.kind === 'event' && trigger.event_type === rule.event_type && Number(event.occurred_at) === data.occurred_at;
        if (itself) continue;
        if (rule.same_property !== undefined) {
          const kept = data.properties !== undefined && rule.same_property in data.properties ? data.properties : triggerProperties.get(data.event ?? -1);
          const mine = propertyText(kept?.[rule.same_property]);
          const theirs = propertyText((JSON.parse(event.properties) as Record<string, unknown>)[rule.same_property]);
          if (mine !== undefined && mine === theirs) cancel(reminder, event);
        } else if (Number(event.occurred_at) >= data.occurred_at) cancel(reminder, event);
      }
    }
  }
  return cancelled;
}

function numberText(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** What a message is written with: its language, the workspace's time zone, and the trigger's time property. */
interface MessageSetting {
  locale: Locale;
  utcOffsetMinutes: number;
  timeProperty: string | undefined;
  /** The trigger's event type, which tells its amounts of money from a shop's own properties. */
  eventType: string | undefined;
}

/** A time (epoch milliseconds, as a number or, from a store's big integer, as text) as a message writes it. */
function timeText(value: unknown, setting: MessageSetting): string | undefined {
  const ms = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
  return ms === undefined ? propertyText(value) : messageTime(ms, setting.utcOffsetMinutes);
}

/** A value of a field or metric as a message writes it: times at the workspace's time, display names and yes or no in the message's language. */
function attributeText(value: unknown, type: AttributeType | undefined, labels: Readonly<Record<string, LocalizedText>> | undefined, setting: MessageSetting): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (type === 'timestamp') return timeText(value, setting);
  if (typeof value === 'string' && labels?.[value]) return labels[value][setting.locale];
  if (typeof value === 'boolean') return value ? (setting.locale === 'en' ? 'yes' : '是') : setting.locale === 'en' ? 'no' : '否';
  return typeof value === 'number' ? numberText(value) : propertyText(value);
}

/** The built-in choices' words in both languages (女, Female; 个人, Individual), as the console and exports write them. */
const CHOICE_WORDS: Readonly<Record<string, Readonly<Record<string, LocalizedText>>>> = {
  type: Object.fromEntries(CUSTOMER_TYPES.map((type) => [type, localized(CUSTOMER_TYPE_LABELS_EN[type], CUSTOMER_TYPE_LABELS[type])])),
  gender: Object.fromEntries(GENDERS.map((gender) => [gender, localized(GENDER_LABELS_EN[gender], GENDER_LABELS[gender])])),
};

/** What a placeholder reads for one customer. */
function placeholderValue(catalog: WorkspaceCatalog, view: CustomerView, data: TriggerData, placeholder: Placeholder, setting: MessageSetting): string | undefined {
  switch (placeholder.kind) {
    case 'name':
      return propertyText(view.fields.name);
    case 'customer_id':
      return propertyText(view.fields.id);
    case 'event': {
      const value = data.properties?.[placeholder.key];
      // The time the plan counts from (a coupon's expires_at), read as the schedule reads it.
      if (placeholder.key === setting.timeProperty) {
        const ms = typeof value === 'string' ? parseWorkspaceTime(value, setting.utcOffsetMinutes) : typeof value === 'number' ? epochNumberToMillis(value) : undefined;
        if (ms !== undefined) return messageTime(ms, setting.utcOffsetMinutes);
      }
      return eventPropertyText(setting.eventType, placeholder.key, value);
    }
    case 'tag': {
      const tag = sharedTag(catalog, placeholder.key);
      const held = tag ? view.tags.get(tag.key) : undefined;
      if (!tag || !held || held.size === 0) return undefined;
      return tag.values.filter((value) => held.has(value.key)).map((value) => value.name).join('、');
    }
    case 'field': {
      const key = attributeKey(catalog.catalog.fields, placeholder.key);
      const attribute = catalog.catalog.fields.find((each) => each.key === key);
      const labels = key !== undefined && Object.hasOwn(CHOICE_WORDS, key) ? CHOICE_WORDS[key] : undefined;
      return key === undefined ? undefined : attributeText(view.fields[key], attribute?.type, labels, setting);
    }
    case 'metric': {
      const key = attributeKey(catalog.catalog.metrics, placeholder.key);
      const attribute = catalog.catalog.metrics.find((each) => each.key === key);
      const definition = catalog.metrics.find((each) => each.key === key);
      return key === undefined ? undefined : attributeText(view.metrics[key], attribute?.type, definition ? metricValueLabels(definition) : undefined, setting);
    }
  }
}

/** `triggerData`: the trigger as kept again, naming the event that cancelled the reminder. */
type Outcome = { status: 'due'; message: string } | { status: 'skipped'; reason: SkipReason; triggerData?: string };

/** Brings due what is due: checks each plan's condition and cancel rule, writes the messages. */
async function bringDue(context: WorkspaceContext, catalog: WorkspaceCatalog, report: CareReport): Promise<void> {
  const now = context.now().getTime();
  const scope = segmentScope(catalog);
  const segments = compiledSegments(scope, catalog);
  const options = { utcOffsetMinutes: catalog.utcOffsetMinutes };
  // Plans' and steps' conditions, each compiled once; undefined for one that no longer compiles
  // (a tag or segment it reads was removed since): nobody matches it any more.
  const conditions = new Map<string, BoundExpression | undefined>();
  const compiledCondition = (source: string): BoundExpression | undefined => {
    if (!conditions.has(source)) conditions.set(source, readableAudience(scope, source));
    return conditions.get(source);
  };
  for (;;) {
    const reminders = await dueReminders(context.store.db, context.workspaceId, now);
    if (reminders.length === 0) return;
    const plans = new Map((await planRows(context.store.db, context.workspaceId)).map((row) => [row.id, row]));
    const views = await loadCustomerViews(context, catalog, [...new Set(reminders.map((reminder) => reminder.customer_id))]);
    const outcomes = new Map<number, Outcome>();
    const byPlan = groupedBy(reminders, (reminder) => reminder.plan_id);
    for (const [planId, mine] of byPlan) {
      const row = plans.get(planId);
      const plan = row ? definitionOf(row) : undefined;
      const cancelled = plan?.cancel_on ? await cancelledReminders(context.store.db, plan.cancel_on, plan.trigger, mine) : new Map<number, CancellingEvent>();
      const matches = (view: CustomerView, source: string | null | undefined) => {
        if (!source) return true;
        const bound = compiledCondition(source);
        return bound !== undefined && evaluateExpression(bound, segmentAwareView(view, segments, now, options), now, options);
      };
      for (const reminder of mine) {
        const view = views.get(reminder.customer_id);
        const cancelling = cancelled.get(reminder.id);
        if (!plan || plan.enabled === false) outcomes.set(reminder.id, { status: 'skipped', reason: 'disabled' });
        else if (!view) outcomes.set(reminder.id, { status: 'skipped', reason: 'customer_gone' });
        else if (cancelling) {
          // Kept with the trigger, so that the reminder can say which event cancelled it.
          const data: TriggerData = { ...(JSON.parse(reminder.trigger_data) as TriggerData), cancelled_by: cancelling };
          outcomes.set(reminder.id, { status: 'skipped', reason: 'cancelled', triggerData: JSON.stringify(data) });
        }
        else if (plan.trigger.kind === 'birthday' && !birthdayStillOn(view, reminder, plan.trigger.days_before ?? 0, catalog.utcOffsetMinutes)) outcomes.set(reminder.id, { status: 'skipped', reason: 'birthday_changed' });
        else if (!matches(view, plan.condition) || !matches(view, reminder.condition)) outcomes.set(reminder.id, { status: 'skipped', reason: 'condition' });
        else {
          const parsed = parseTemplate(reminder.template);
          const data = JSON.parse(reminder.trigger_data) as TriggerData;
          const timeProperty = plan.trigger.kind === 'event' ? plan.trigger.time_property : undefined;
          const eventType = plan.trigger.kind === 'event' ? plan.trigger.event_type : undefined;
          const message = ('parts' in parsed ? renderTemplate(parsed.parts, (placeholder) => placeholderValue(catalog, view, data, placeholder, { locale: messageLocale(parsed.parts), utcOffsetMinutes: catalog.utcOffsetMinutes, timeProperty, eventType })) : reminder.template).trim();
          outcomes.set(reminder.id, { status: 'due', message });
        }
      }
    }
    await context.store.db.transaction().execute(async (trx) => {
      // Under the write lock, so that the log of reminders brought due commits in id order (webhooks read it with a cursor).
      await lockWorkspaceWrites(context, trx);
      const broughtDue: { workspace_id: number; reminder_id: number }[] = [];
      for (const [id, outcome] of outcomes) {
        // Only from scheduled: a reminder dismissed or brought due by another process meanwhile stays as it is.
        const update = trx.updateTable('care_reminders').where('id', '=', id).where('status', '=', 'scheduled');
        const result = await (outcome.status === 'due'
          ? update.set({ status: 'due', message: outcome.message })
          : update.set({ status: 'skipped', reason: outcome.reason, ...(outcome.triggerData ? { trigger_data: outcome.triggerData } : {}) })
        ).executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) continue;
        if (outcome.status === 'due') {
          report.due++;
          broughtDue.push({ workspace_id: context.workspaceId, reminder_id: id });
        } else report.skipped++;
      }
      for (const slice of chunks(broughtDue, rowsPerInsert(2))) await trx.insertInto('care_due_log').values(slice).execute();
    });
    if (reminders.length < DUE_PER_ROUND) return;
  }
}

/**
 * Whether the customer's birthday is still the one a birthday reminder was scheduled for: one
 * corrected since (a typo in the month) is greeted on the new day, by that day's round, not on
 * the old one.
 */
function birthdayStillOn(view: CustomerView, reminder: Pick<ReminderRow, 'trigger_at' | 'trigger_data'>, daysBefore: number, utcOffsetMinutes: number): boolean {
  const birthday = view.fields.birthday;
  // The day it was read for, kept: the workspace moved to a zone further west since would put the
  // start of that day on the day before. Reminders kept before the day was are read from their time.
  const day = (JSON.parse(reminder.trigger_data) as TriggerData).day ?? calendarDate(Number(reminder.trigger_at), utcOffsetMinutes);
  return typeof birthday === 'string' && anniversaryMonthDays(addDays(day, daysBefore), 0).includes(birthday.slice(5));
}

/** The saved segments compiled, for `segment("…")` in a condition. */
function compiledSegments(scope: ReturnType<typeof segmentScope>, catalog: WorkspaceCatalog): Map<string, BoundExpression> {
  const compiled = new Map<string, BoundExpression>();
  for (const key of catalog.segments.keys()) {
    const bound = scope.resolve(key);
    if (bound) compiled.set(key, bound);
  }
  return compiled;
}

/**
 * One round of care for the workspace: schedules the reminders of triggers seen since the last
 * round, then brings due those whose time has come. `tagbase serve` runs it every minute.
 */
export async function runCare(context: WorkspaceContext): Promise<CareReport> {
  const report = await careRound(context);
  await purgeDeliveredReminders(context);
  return report;
}

/**
 * Drops from `care_due_log` what every webhook with the `care_reminders` topic has delivered
 * (all of it when no webhook wants reminders), as the segment changes log is: otherwise it
 * gains a row for every reminder that falls due, for ever. The bound is read before the
 * webhooks, so a webhook made meanwhile, which starts after the log's last row, loses nothing.
 */
async function purgeDeliveredReminders(context: WorkspaceContext): Promise<void> {
  const db = context.store.db;
  // Read first: a delete of nothing still takes the store's write lock, every round.
  const bounds = await db
    .selectFrom('care_due_log')
    .select((eb) => [eb.fn.min('id').as('oldest'), eb.fn.max('id').as('newest')])
    .where('workspace_id', '=', context.workspaceId)
    .executeTakeFirst();
  if (bounds?.oldest === null || bounds?.oldest === undefined) return;
  const webhooks = await db.selectFrom('webhooks').select(['topics', 'care_cursor']).where('workspace_id', '=', context.workspaceId).execute();
  const cursors = webhooks.filter((webhook) => (JSON.parse(webhook.topics) as string[]).includes('care_reminders')).map((webhook) => Number(webhook.care_cursor));
  const delivered = Math.min(Number(bounds.newest), ...cursors);
  if (Number(bounds.oldest) > delivered) return;
  await db.deleteFrom('care_due_log').where('workspace_id', '=', context.workspaceId).where('id', '<=', delivered).execute();
}

async function careRound(context: WorkspaceContext): Promise<CareReport> {
  const report: CareReport = { scheduled: 0, late: 0, due: 0, skipped: 0 };
  const plans = (await planRows(context.store.db, context.workspaceId)).filter((row) => Number(row.enabled) === 1);
  const pending = await context.store.db.selectFrom('care_reminders').select('id').where('workspace_id', '=', context.workspaceId).where('status', '=', 'scheduled').limit(1).executeTakeFirst();
  if (plans.length === 0 && !pending) return report;
  const catalog = await loadWorkspaceCatalog(context);
  for (const plan of plans) {
    if ((JSON.parse(plan.trigger) as CareTrigger).kind === 'birthday') await scheduleBirthdays(context, plan, catalog, report);
    else await scheduleFromLog(context, plan, catalog, report);
  }
  await bringDue(context, catalog, report);
  return report;
}

// ------------------------------------------------------------------- the to-do list

export const REMINDER_PAGE_MAX = 500;

export interface ReminderQuery {
  status?: ReminderStatus | undefined;
  plan?: string | undefined;
  customer?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** Reminders with their plan's and customer's names, as `reminderJson` takes them. */
export function remindersWithNames(db: Db) {
  return db
    .selectFrom('care_reminders')
    .innerJoin('care_plans', 'care_plans.id', 'care_reminders.plan_id')
    .leftJoin('customers', 'customers.id', 'care_reminders.customer_id')
    .selectAll('care_reminders')
    .select(['care_plans.key as plan_key', 'care_plans.name as plan_name', 'customers.external_id', 'customers.name as customer_name']);
}

/** Why a reminder was cancelled, naming the event: its type and when it happened. */
export function cancelledByText(type: string, at: string): LocalizedText {
  return localized(`cancelled by a later event: ${type} at ${at}`, `被后续行为取消：${at} 的 ${type}`);
}

/** Why a reminder was withdrawn: the bulk tagging that triggered it was undone, by whom. */
export function undoneTaggingText(by: string): LocalizedText {
  return localized(`withdrawn: the tagging that triggered it was undone by ${by}`, `打标已撤销：触发它的打标已由 ${by} 撤销，提醒随之撤回`);
}

/** A skipped reminder's reason in words: of one cancelled by an event, naming it; of one withdrawn by an undo, naming who undid it. */
function reasonText(reason: SkipReason, data: TriggerData, resolvedBy: string | null): LocalizedText {
  if (reason === 'cancelled' && data.cancelled_by) return cancelledByText(data.cancelled_by.type, toIso(data.cancelled_by.occurred_at));
  if (reason === 'undone' && resolvedBy !== null) return undoneTaggingText(resolvedBy);
  return SKIP_REASON_LABELS[reason];
}

export function reminderJson(row: ReminderRow & { plan_key: string; plan_name: string; external_id: string | null; customer_name: string | null }): CareReminderJson {
  const reason = row.reason as SkipReason | null;
  const data = reason === null ? undefined : (JSON.parse(row.trigger_data) as TriggerData);
  const snoozed = snoozedOf(row);
  const cancelledBy = reason === 'cancelled' ? data?.cancelled_by : undefined;
  return {
    id: row.id,
    plan: { key: row.plan_key, name: row.plan_name },
    step: Number(row.step) + 1,
    customer: { id: row.external_id ?? '', name: row.customer_name },
    trigger_at: toIso(Number(row.trigger_at)),
    due_at: toIso(Number(row.due_at)),
    status: row.status as ReminderStatus,
    message: row.message,
    reason,
    reason_text: reason === null || data === undefined ? null : reasonText(reason, data, row.resolved_by),
    cancelled_by: cancelledBy ? { type: cancelledBy.type, event_id: cancelledBy.event_id, occurred_at: toIso(cancelledBy.occurred_at) } : null,
    resolved_by: row.resolved_by,
    resolved_at: toIsoOrNull(row.resolved_at === null ? null : Number(row.resolved_at)),
    snoozed_by: snoozed?.by ?? null,
    snoozed_at: snoozed === undefined ? null : toIso(snoozed.at),
    created_at: toIso(Number(row.created_at)),
  };
}

/**
 * How a reminder was put off, while it is: scheduled again and not yet due. One that fell due
 * again since, or was closed, keeps what it was in its data, but is no longer put off.
 */
function snoozedOf(row: Pick<ReminderRow, 'status' | 'trigger_data'>): Snoozed | undefined {
  if (row.status !== 'scheduled') return undefined;
  return (JSON.parse(row.trigger_data) as TriggerData).snoozed;
}

type NamedReminderRow = ReminderRow & { plan_key: string; plan_name: string; external_id: string | null; customer_name: string | null };

/**
 * Reminders as the caller reads them: for a role that sees personal data masked, each value a
 * `{metric:…}` or `{event:…}` placeholder wrote into a message is masked as the portrait shows
 * that metric or property (`139****5678`); the message kept, and posted to webhooks, stays whole,
 * as it is written to be sent to the customer.
 */
async function remindersAsSeen(context: WorkspaceContext, rows: readonly NamedReminderRow[]): Promise<CareReminderJson[]> {
  const items = rows.map(reminderJson);
  if (context.personalData !== 'masked' || rows.every((row) => row.message === null)) return items;
  const [catalog, identities] = await Promise.all([loadWorkspaceCatalog(context), loadIdentities(context.store.db, [...new Set(rows.map((row) => row.customer_id))])]);
  return items.map((item, index) => {
    const row = rows[index];
    if (item.message === null || row === undefined) return item;
    const own = identities.get(row.customer_id) ?? [];
    const message = maskMessageValues(row.template, item.message, (placeholder, text) => {
      if (placeholder.kind === 'event') return String(maskPersonalDataIn({ [placeholder.key]: text }, own)[placeholder.key] ?? text);
      if (placeholder.kind !== 'metric') return text;
      const definition = catalog.metrics.find((metric) => metric.key === attributeKey(catalog.catalog.metrics, placeholder.key));
      return definition === undefined ? text : String(maskPersonalMetricValue(definition, text, own) ?? text);
    });
    return { ...item, message };
  });
}

/**
 * Reminders, by default those due (the staff's to-do list, oldest first); done and dismissed
 * ones the most recently closed first, skipped ones the latest due first. With `plan` or
 * `customer`, only theirs.
 */
export async function listReminders(context: WorkspaceContext, request: ReminderQuery): Promise<{ items: CareReminderJson[]; total: number }> {
  const db = context.store.db;
  const status = request.status ?? 'due';
  const plan = request.plan === undefined ? undefined : await requirePlan(context, request.plan);
  const customer = request.customer === undefined ? undefined : await requireCustomer(context, request.customer);
  const limit = Math.min(request.limit ?? 50, REMINDER_PAGE_MAX);
  const soonestFirst = status === 'due' || status === 'scheduled';
  const direction = soonestFirst ? 'asc' : 'desc';
  let query = remindersWithNames(db).where('care_reminders.workspace_id', '=', context.workspaceId).where('care_reminders.status', '=', status);
  if (plan) query = query.where('care_reminders.plan_id', '=', plan.id);
  if (customer) query = query.where('care_reminders.customer_id', '=', customer.id);
  const [rows, total] = await Promise.all([
    query
      // Open ones by when they fall due; those the staff closed by when they closed them, the
      // latest first; skipped ones (never closed by anyone) by when they would have been due.
      .orderBy(status === 'done' || status === 'dismissed' ? 'care_reminders.resolved_at' : 'care_reminders.due_at', direction)
      .orderBy('care_reminders.id', direction)
      .limit(limit)
      .offset(request.offset ?? 0)
      .execute(),
    // Each reminder joins one plan and at most one customer: counting the joined rows counts the reminders.
    query.clearSelect().select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirst(),
  ]);
  return { items: await remindersAsSeen(context, rows), total: Number(total?.count ?? 0) };
}

/** How many reminders are due: the to-do list's length. */
export async function countDueReminders(context: WorkspaceContext): Promise<number> {
  const row = await context.store.db.selectFrom('care_reminders').select((eb) => eb.fn.countAll<number>().as('count')).where('workspace_id', '=', context.workspaceId).where('status', '=', 'due').executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Closes a reminder: done (the staff member acted on it) or dismissed (not needed); a scheduled one can be dismissed before it falls due. */
export async function resolveReminder(context: WorkspaceContext, id: number, outcome: 'done' | 'dismissed'): Promise<CareReminderJson> {
  const db = context.store.db;
  const found = await db.selectFrom('care_reminders').select(['id', 'status']).where('workspace_id', '=', context.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!found) throw new TagbaseError('CARE_REMINDER_NOT_FOUND', { reminder: String(id) });
  const open = outcome === 'done' ? ['due'] : ['due', 'scheduled'];
  const updated = await db
    .updateTable('care_reminders')
    .set({ status: outcome, resolved_by: actorName(context), resolved_at: context.now().getTime() })
    .where('id', '=', id)
    .where('status', 'in', open)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new TagbaseError('CARE_REMINDER_CLOSED', { reminder: String(id), status: REMINDER_STATUS_LABELS[found.status as ReminderStatus] });
  const row = await remindersWithNames(db).where('care_reminders.id', '=', id).executeTakeFirstOrThrow();
  const [seen] = await remindersAsSeen(context, [row]);
  return seen ?? reminderJson(row);
}

/**
 * Opens a reminder closed by mistake (完成 or 忽略 clicked on the wrong row) again: one that had
 * fallen due is due again with its message; one dismissed before it fell due is scheduled again,
 * and falls due, its condition checked, as it would have. A skipped one stays skipped: the plan
 * decided that, not a person.
 */
export async function reopenReminder(context: WorkspaceContext, id: number): Promise<CareReminderJson> {
  const db = context.store.db;
  const found = await db.selectFrom('care_reminders').select(['id', 'status', 'message']).where('workspace_id', '=', context.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!found) throw new TagbaseError('CARE_REMINDER_NOT_FOUND', { reminder: String(id) });
  const updated = await db
    .updateTable('care_reminders')
    .set({ status: found.message === null ? 'scheduled' : 'due', resolved_by: null, resolved_at: null })
    .where('id', '=', id)
    .where('status', 'in', ['done', 'dismissed'])
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new TagbaseError('CARE_REMINDER_NOT_REOPENABLE', { reminder: String(id), status: REMINDER_STATUS_LABELS[found.status as ReminderStatus] });
  const row = await remindersWithNames(db).where('care_reminders.id', '=', id).executeTakeFirstOrThrow();
  const [seen] = await remindersAsSeen(context, [row]);
  return seen ?? reminderJson(row);
}

/**
 * Puts a due reminder off (稍后提醒: the customer is busy today): it is scheduled again, due the
 * given time from now (outside its plan's quiet hours), and when it falls due its plan's
 * condition and cancel rule are checked and its message written again, as the first time.
 */
export async function snoozeReminder(context: WorkspaceContext, id: number, duration: string): Promise<CareReminderJson> {
  const { snooze } = parseInput(z.strictObject({ snooze: snoozeSchema }), { snooze: duration });
  const db = context.store.db;
  const found = await db
    .selectFrom('care_reminders')
    .innerJoin('care_plans', 'care_plans.id', 'care_reminders.plan_id')
    .select(['care_reminders.id', 'care_reminders.status', 'care_reminders.due_at', 'care_reminders.message', 'care_reminders.trigger_data', 'care_plans.quiet_hours'])
    .where('care_reminders.workspace_id', '=', context.workspaceId)
    .where('care_reminders.id', '=', id)
    .executeTakeFirst();
  if (!found) throw new TagbaseError('CARE_REMINDER_NOT_FOUND', { reminder: String(id) });
  const utcOffsetMinutes = await workspaceUtcOffset(context);
  const quietHours = found.quiet_hours === null ? null : (JSON.parse(found.quiet_hours) as QuietHours);
  const now = context.now().getTime();
  // The schema took only a duration ahead.
  const dueAt = outsideQuietHours(now + (parseStepOffset(snooze) ?? 0), quietHours, utcOffsetMinutes);
  // What it was is kept, so that one put off by mistake is brought back as it was (unsnoozeReminder).
  const data: TriggerData = { ...(JSON.parse(found.trigger_data) as TriggerData), snoozed: { by: actorName(context), at: now, due_at: Number(found.due_at), message: found.message } };
  const updated = await db
    .updateTable('care_reminders')
    .set({ status: 'scheduled', due_at: dueAt, message: null, trigger_data: JSON.stringify(data) })
    .where('id', '=', id)
    .where('status', '=', 'due')
    .where('due_at', '=', found.due_at)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) throw new TagbaseError('CARE_REMINDER_CLOSED', { reminder: String(id), status: REMINDER_STATUS_LABELS[found.status as ReminderStatus] });
  const row = await remindersWithNames(db).where('care_reminders.id', '=', id).executeTakeFirstOrThrow();
  const [seen] = await remindersAsSeen(context, [row]);
  return seen ?? reminderJson(row);
}

/**
 * Brings a reminder put off by mistake (推迟 clicked on the wrong row, or the customer called
 * back after all) back to the to-do list as it was: due at its own time, with the message it
 * had, in its place among the others. Only one put off and not yet due again: a reminder due,
 * scheduled by its plan, closed or skipped is refused.
 */
export async function unsnoozeReminder(context: WorkspaceContext, id: number): Promise<CareReminderJson> {
  const db = context.store.db;
  const found = await db.selectFrom('care_reminders').select(['id', 'status', 'due_at', 'trigger_data']).where('workspace_id', '=', context.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!found) throw new TagbaseError('CARE_REMINDER_NOT_FOUND', { reminder: String(id) });
  const { snoozed, ...data } = JSON.parse(found.trigger_data) as TriggerData;
  const status = REMINDER_STATUS_LABELS[found.status as ReminderStatus];
  const refused = () =>
    new TagbaseError('CARE_REMINDER_NOT_SNOOZED', {
      reminder: String(id),
      status,
      never: found.status === 'scheduled' ? localized(', and was not put off', '，且未被推迟') : localized('', ''),
    });
  if (found.status !== 'scheduled' || snoozed === undefined) throw refused();
  // One the round brought due, or someone dismissed, meanwhile is left as it is.
  const updated = await db
    .updateTable('care_reminders')
    .set({ status: snoozed.message === null ? 'scheduled' : 'due', due_at: snoozed.due_at, message: snoozed.message, trigger_data: JSON.stringify(data) })
    .where('id', '=', id)
    .where('status', '=', 'scheduled')
    .where('due_at', '=', found.due_at)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    const now = await db.selectFrom('care_reminders').select(['status']).where('id', '=', id).executeTakeFirst();
    throw new TagbaseError('CARE_REMINDER_NOT_SNOOZED', { reminder: String(id), status: REMINDER_STATUS_LABELS[(now?.status ?? found.status) as ReminderStatus], never: localized('', '') });
  }
  const row = await remindersWithNames(db).where('care_reminders.id', '=', id).executeTakeFirstOrThrow();
  const [seen] = await remindersAsSeen(context, [row]);
  return seen ?? reminderJson(row);
}
