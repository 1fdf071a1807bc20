// `tagbase care …`: care plans and their reminders from the terminal — list the plans, add one
// from a JSON file, run a round (for a store no server is running on), read and close reminders.
import { TagbaseError } from '../core/errors.js';
import { localized, type Locale } from '../core/locale.js';
import { duplicateJsonKeys, duplicateKeyText } from '../core/json-duplicate-keys.js';
import { explainJsonSyntaxError } from '../core/json-syntax.js';
import { namedSteps } from '../core/storable-text.js';
import { REMINDER_STATUS_LABELS, snoozeSchema, type ReminderStatus } from '../core/care.js';
import { formatTagLabel, type TagDefinition } from '../core/tag.js';
import { createCarePlan, deleteCarePlan, getCarePlan, listCarePlans, listReminders, reopenReminder, resolveReminder, runCare, snoozeReminder, unsnoozeReminder, updateCarePlan, type CarePlanJson, type CareReminderJson } from '../engine/care.js';
import { seenEventTypes, type SeenEventTypes } from '../engine/event-types.js';
import { formatUtcOffset, minuteWithZone } from '../core/time.js';
import { workspaceUtcOffset } from '../engine/metrics.js';
import { loadTags } from '../engine/library.js';
import { englishTagName, englishValueName, type CatalogModel } from '../core/models/model-words.js';
import type { WorkspaceContext } from '../engine/context.js';
import { auditCli } from './audit-entry.js';
import { terminalTable } from './commander-locale.js';
import { catalogWords, localMinute } from './customer.js';
import { cliLocale } from './errors.js';
import type { Say } from './messages.js';
import { auditReadsOn, inCommandWorkspace } from './store-options.js';
import { readTextInput } from './text-input.js';

export interface CareCommandOptions {
  workspace: string;
  database?: string | undefined;
  actor?: string | undefined;
  locale?: Locale | undefined;
  /** Print what the API answers for the same list as JSON. */
  json?: boolean | undefined;
}

/** The shared tags a plan's trigger can name, by key: a plan keeps keys, and the operator knows the names. */
export type PlanTags = ReadonlyMap<string, Pick<TagDefinition, 'key' | 'name' | 'kind' | 'values'>>;

/** The workspace's shared tags, archived ones too: a plan may still name one, and it keeps its name. */
export async function planTags(context: WorkspaceContext): Promise<PlanTags> {
  const shared = (await loadTags(context, { includeArchived: true })).filter((tag) => tag.scope === 'enterprise');
  return new Map(shared.map((tag) => [tag.key, tag]));
}

/**
 * 「RFM等级: 重要价值客户 (rfm_level.important_value)」, as the console names a trigger's tag and
 * value, with the keys after for whoever writes plan files; the keys alone for a tag or value
 * since removed, or when they are the names. With `models` (an English reader's), a model's tag
 * reads in the catalog's English words, as the console shows it.
 */
function triggerTag(tags: PlanTags, tagKey: string, valueKey: string | undefined, say: Say, models: readonly CatalogModel[]): string {
  const tag = tags.get(tagKey);
  const tagName = tag ? englishTagName(tag, models) : tagKey;
  if (valueKey === undefined) return tagName === tagKey ? tagKey : say('care.trigger.tagNamed', { name: tagName, key: tagKey });
  const value = tag?.values.find((candidate) => candidate.key === valueKey);
  const valueName = tag && value ? englishValueName(tag, value, models) : valueKey;
  const keys = `${tagKey}.${valueKey}`;
  return tagName === tagKey && valueName === valueKey ? keys : say('care.trigger.tagNamed', { name: formatTagLabel(tagName, valueName), key: keys });
}

function describeTrigger(plan: CarePlanJson, tags: PlanTags, say: Say, models: readonly CatalogModel[]): string {
  const trigger = plan.trigger;
  switch (trigger.kind) {
    case 'event':
      return trigger.time_property ? say('care.trigger.eventTime', { type: trigger.event_type, property: trigger.time_property }) : say('care.trigger.event', { type: trigger.event_type });
    case 'tag_added':
      return say('care.trigger.tagAdded', { tag: triggerTag(tags, trigger.tag, trigger.value, say, models) });
    case 'tag_removed':
      return say('care.trigger.tagRemoved', { tag: triggerTag(tags, trigger.tag, trigger.value, say, models) });
    case 'birthday':
      return say('care.trigger.birthday', { days: trigger.days_before });
  }
}

/**
 * The plans as the operator reads them, a trigger's tag and value by name with `tags` (a model's
 * in the catalog's English words with an English reader's `models`); with `seen` (the types of the
 * workspace's latest events), a plan started by an event type none of them has says so, as its
 * counts would stay at 0 without a word why.
 */
export function formatPlans(plans: readonly CarePlanJson[], say: Say, seen?: SeenEventTypes, tags: PlanTags = new Map(), models: readonly CatalogModel[] = []): string {
  if (plans.length === 0) return say('care.noPlans');
  return plans
    .map((plan) => {
      const counts = say('care.counts', { due: plan.reminders.due, scheduled: plan.reminders.scheduled, done: plan.reminders.done });
      const lines = [`${plan.name} (${plan.key})${plan.enabled ? '' : ` ${say('care.off')}`}  ${describeTrigger(plan, tags, say, models)}  ${counts}`];
      const trigger = plan.trigger;
      if (trigger.kind === 'event' && seen !== undefined && seen.sampled > 0 && !seen.items.some((item) => item.type === trigger.event_type)) {
        lines.push(`  ${say('care.triggerUnseen', { type: trigger.event_type, sampled: seen.sampled })}`);
      }
      if (plan.condition) lines.push(`  ${say('care.condition', { condition: plan.condition })}`);
      // What keeps reminders from going out, as the console's plan list shows it: without these, a
      // plan that sends nothing for refunded orders or at night reads as one that always sends.
      if (plan.cancel_on) {
        const { event_type: type, same_property: property } = plan.cancel_on;
        lines.push(`  ${property ? say('care.cancelSame', { type, property }) : say('care.cancel', { type })}`);
      }
      if (plan.quiet_hours) lines.push(`  ${say('care.quietHours', { start: plan.quiet_hours.start, end: plan.quiet_hours.end })}`);
      plan.steps.forEach((step, index) => {
        lines.push(`  ${index + 1}. ${step.after}: ${step.message}`);
        // A step's own condition (a birthday coupon per RFM level): without it, such steps read alike.
        if (step.condition) lines.push(`     ${say('care.condition', { condition: step.condition })}`);
      });
      return lines.join('\n');
    })
    .join('\n');
}

/**
 * The reminders, each due at the workspace's wall-clock time as the console shows it (named
 * once, at the end): in UTC, an order's thanks at 17:46 in Beijing read as due at 09:46.
 */
export function formatReminders(page: { items: CareReminderJson[]; total: number }, status: ReminderStatus, say: Say, locale: Locale | undefined, offset = 0, utcOffsetMinutes = 0): string {
  // The status in the words of the lines around it (已安排, not scheduled, in Chinese).
  const statusText = REMINDER_STATUS_LABELS[status][locale ?? 'zh-CN'];
  if (page.items.length === 0) return page.total > 0 ? say('care.pastEnd', { total: page.total, status: statusText }) : say('care.noReminders');
  const rows = page.items.map((reminder) => {
    const who = reminder.customer.name ? `${reminder.customer.name} (${reminder.customer.id})` : reminder.customer.id;
    // The event that cancelled one at the workspace's wall-clock time, as its due time is.
    const cancelledBy = reminder.cancelled_by ? say('care.cancelledBy', { type: reminder.cancelled_by.type, at: localMinute(reminder.cancelled_by.occurred_at, utcOffsetMinutes) }) : undefined;
    const detail = reminder.message ?? cancelledBy ?? (reminder.reason_text ? reminder.reason_text[locale ?? 'zh-CN'] : '');
    return [`#${reminder.id}`, localMinute(reminder.due_at, utcOffsetMinutes), who, `${reminder.plan.name} ${say('care.step', { step: reminder.step })}`, detail];
  });
  // In columns as a terminal shows them (a Chinese name takes two a character), so that each
  // reminder's plan and message start under the one above whatever the customer's name.
  const lines = terminalTable(rows);
  // Only part of the list: which part, and how to see the next.
  // Positions as --offset takes them, not grouped as counts are.
  const range = { first: String(offset + 1), last: String(offset + page.items.length), total: page.total, status: statusText };
  if (offset + page.items.length < page.total) lines.push(say('care.more', range));
  else if (offset > 0) lines.push(say('care.moreBefore', range));
  lines.push(say('customer.zone', { zone: formatUtcOffset(utcOffsetMinutes) }));
  return lines.join('\n');
}

/** A plan as the API's paths name it, for the audit trail. */
function planPath(key: string): string {
  return `/care/plans/${encodeURIComponent(key)}`;
}

export async function carePlansCommand(options: CareCommandOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const plans = await listCarePlans(context);
    if (options.json) return JSON.stringify({ items: plans }, null, 2);
    return formatPlans(plans, say, await seenEventTypes(context), await planTags(context), await catalogWords(context, options.locale ?? 'en'));
  });
}

/**
 * Adds the plan a JSON file (or `-`, standard input) describes, as `POST /api/v1/care/plans`
 * takes it. The file is read as imports read theirs: UTF-8, with or without the byte-order
 * mark Notepad writes, or GB18030 (what an editor on Chinese Windows saves as 「ANSI」).
 */
export async function addCarePlanCommand(file: string, options: CareCommandOptions): Promise<string> {
  const input = await planJson(file);
  return inCommandWorkspace(options, async (context, say) => {
    const plan = await createCarePlan(context, input as Parameters<typeof createCarePlan>[1]);
    await auditCli(context, 'care add', planPath(plan.key));
    return say('care.added', { name: plan.name, key: plan.key });
  });
}

/**
 * Changes a plan as a JSON file (or `-`) of what changes says, as `PATCH
 * /api/v1/care/plans/{plan}` takes it: without it, a new message or step meant deleting the
 * plan, with every reminder it had made, and adding it again.
 */
export async function updateCarePlanCommand(plan: string, file: string, options: CareCommandOptions): Promise<string> {
  const patch = await planJson(file);
  return inCommandWorkspace(options, async (context, say) => {
    const changed = await updateCarePlan(context, plan, patch as Parameters<typeof updateCarePlan>[2]);
    await auditCli(context, 'care update', planPath(changed.key));
    return say('care.updated', { name: changed.name, key: changed.key });
  });
}

/** A plan file's JSON, read as imports read theirs (see `readTextInput`). */
async function planJson(file: string): Promise<unknown> {
  const text = await readTextInput(file);
  // Named as the file it is: the API's "the request body is not valid JSON" would mislead here.
  const name = localized(file === '-' ? 'standard input' : file, file === '-' ? '标准输入' : file);
  let plan: unknown;
  try {
    plan = JSON.parse(text) as unknown;
  } catch (error) {
    const why = explainJsonSyntaxError((error as Error).message);
    throw new TagbaseError('MALFORMED_JSON', { detail: localized(`${name.en} is not valid JSON: ${why.en}`, `${name['zh-CN']} 不是有效的 JSON：${why['zh-CN']}`) });
  }
  // A key given twice is refused as the API refuses it in a body, rather than read as its last value.
  const [twice] = duplicateJsonKeys(text, plan);
  if (twice !== undefined) {
    const why = duplicateKeyText(twice);
    const path = namedSteps(twice.place).join('.');
    throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`${name.en} at ${path}: ${why.en}`, `${name['zh-CN']} 中 ${path}：${why['zh-CN']}`) });
  }
  return plan;
}

export async function runCareCommand(options: CareCommandOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const report = await runCare(context);
    await auditCli(context, 'care run', '/care/run');
    return say('care.ran', { scheduled: report.scheduled, late: report.late, due: report.due, skipped: report.skipped });
  });
}

export async function remindersCommand(options: CareCommandOptions & { status: ReminderStatus; plan?: string | undefined; customer?: string | undefined; limit: number; offset?: number | undefined }): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const page = await listReminders(context, options);
    // Each reminder names its customer: a personal read, recorded as `GET /care/reminders` is by the server.
    if (auditReadsOn() && page.items.length > 0) await auditCli(context, 'care reminders', '/care/reminders');
    if (options.json) return JSON.stringify(page, null, 2);
    return formatReminders(page, options.status, say, options.locale, options.offset ?? 0, await workspaceUtcOffset(context));
  });
}

/**
 * A reminder's number as the list prints it (`#12`) or bare (`12`): decimal digits (`0x16` is
 * not 22), and no more than a store's ids go up to.
 */
function reminderNumber(id: string): number {
  const number = /^#?\d+$/.test(id) ? Number(id.replace(/^#/, '')) : Number.NaN;
  if (!Number.isSafeInteger(number) || number <= 0) throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`"${id}" is not a reminder number such as 12`, `「${id}」不是提醒编号（如 12）`) });
  return number;
}

export async function resolveReminderCommand(id: string, outcome: 'done' | 'dismissed', options: CareCommandOptions): Promise<string> {
  const number = reminderNumber(id);
  return inCommandWorkspace(options, async (context, say) => {
    const reminder = await resolveReminder(context, number, outcome);
    await auditCli(context, outcome === 'done' ? 'care done' : 'care dismiss', `/care/reminders/${reminder.id}?${outcome}`);
    return say(outcome === 'done' ? 'care.closedDone' : 'care.closedDismissed', { id: String(reminder.id) });
  });
}

/** Opens a reminder marked done or dismissed by mistake again. */
export async function reopenReminderCommand(id: string, options: CareCommandOptions): Promise<string> {
  const number = reminderNumber(id);
  return inCommandWorkspace(options, async (context, say) => {
    const reminder = await reopenReminder(context, number);
    await auditCli(context, 'care reopen', `/care/reminders/${reminder.id}?reopen`);
    return say(reminder.status === 'due' ? 'care.reopenedDue' : 'care.reopenedScheduled', { id: String(reminder.id) });
  });
}

/** Puts a due reminder off (`1h`, `1d`): scheduled again, due that long from now. */
export async function snoozeReminderCommand(id: string, duration: string, options: CareCommandOptions): Promise<string> {
  const number = reminderNumber(id);
  // Said of the command's argument, not of the API's `snooze` field the engine checks it as.
  if (!snoozeSchema.safeParse(duration).success) {
    throw new TagbaseError('VALIDATION_FAILED', { detail: localized(`"${duration}" is not a time ahead like 1h, 3h or 1d (at most 366 days)`, `「${duration}」不是往后推的时长，应如 1h、3h 或 1d（最多 366 天）`) });
  }
  return inCommandWorkspace(options, async (context, say) => {
    const reminder = await snoozeReminder(context, number, duration);
    await auditCli(context, 'care snooze', `/care/reminders/${reminder.id}?snooze`);
    const utcOffsetMinutes = await workspaceUtcOffset(context);
    return say('care.snoozed', { id: String(reminder.id), at: minuteWithZone(Date.parse(reminder.due_at), utcOffsetMinutes, options.locale ?? cliLocale()) });
  });
}

/** Brings a reminder put off by mistake back: due again at its own time, with the message it had. */
export async function unsnoozeReminderCommand(id: string, options: CareCommandOptions): Promise<string> {
  const number = reminderNumber(id);
  return inCommandWorkspace(options, async (context, say) => {
    const reminder = await unsnoozeReminder(context, number);
    await auditCli(context, 'care unsnooze', `/care/reminders/${reminder.id}?unsnooze`);
    return say('care.unsnoozed', { id: String(reminder.id) });
  });
}

/** Switches a plan off (nothing new is scheduled, reminders falling due meanwhile are skipped) or back on (from now on). */
export async function switchCarePlanCommand(plan: string, enabled: boolean, options: CareCommandOptions): Promise<string> {
  return inCommandWorkspace(options, async (context, say) => {
    const changed = await updateCarePlan(context, plan, { enabled });
    await auditCli(context, enabled ? 'care enable' : 'care disable', planPath(changed.key));
    return say(enabled ? 'care.switchedOn' : 'care.switchedOff', { name: changed.name, key: changed.key });
  });
}

/** Deletes a plan with all its reminders, only with --yes (it cannot be undone); without, says what would go. */
export async function removeCarePlanCommand(plan: string, options: CareCommandOptions & { yes: boolean }): Promise<{ text: string; done: boolean }> {
  return inCommandWorkspace(options, async (context, say) => {
    const found = await getCarePlan(context, plan);
    const reminders = Object.values(found.reminders).reduce((sum, count) => sum + count, 0);
    if (!options.yes) return { text: say('care.removeAsk', { name: found.name, reminders }), done: false };
    await deleteCarePlan(context, found.key);
    await auditCli(context, 'care remove', planPath(found.key));
    return { text: say('care.removed', { name: found.name, reminders }), done: true };
  });
}
