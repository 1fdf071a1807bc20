// Care plans (客户关怀): what happens to a customer (an event, a tag gained or lost, a
// birthday coming) starts a sequence of reminders, each due some time after it — the
// after-sales "3315" (thanks after 30 minutes, care after 3 days, advice after 7), a coupon
// about to expire, a birthday greeting. Here: the plan's shape, its durations and its message
// templates; nothing that reads or writes.
import { z } from 'zod';
import { displayName } from './display-name.js';
import { isMoneyProperty } from './event-properties.js';
import { localized, type Locale, type LocalizedText } from './locale.js';
import { KEY_PATTERN, KEY_RULE } from './names.js';
import { DAY_MS, minuteInZone } from './time.js';

const MINUTE_MS = 60_000;

/** How far a step may lie from its trigger, either way. */
export const MAX_STEP_OFFSET_MS = 366 * DAY_MS;

/**
 * A step whose due time had passed by more than this when its trigger was seen (a backfill of
 * old orders, a coupon already expired) is not scheduled: a thank-you for last month's order
 * is no care at all.
 */
export const LATE_AFTER_MS = DAY_MS;

const DURATION_PATTERN = /^(-)?(\d{1,6})(m|h|d)$/;
const UNIT_MS = { m: MINUTE_MS, h: 60 * MINUTE_MS, d: DAY_MS } as const;

/** `30m`, `3d`, `9h`, `-3d` (before the trigger's time), or `0`, in milliseconds; undefined when it is none of those. */
export function parseStepOffset(text: string): number | undefined {
  if (text === '0') return 0;
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  const unit = match[3] as keyof typeof UNIT_MS;
  const ms = Number(match[2]) * UNIT_MS[unit];
  if (ms > MAX_STEP_OFFSET_MS) return undefined;
  return match[1] ? -ms : ms;
}

const eventTypeSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'an event type in lower_snake_case');
const propertySchema = z.string().min(1).max(64);
const tagReferenceSchema = z.string().trim().min(1).max(200);

export const careTriggerSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('event'),
    event_type: eventTypeSchema,
    /** A time among the event's properties (a coupon's `expires_at`) to count the steps from, instead of when the event happened. */
    time_property: propertySchema.optional(),
  }),
  z.strictObject({ kind: z.literal('tag_added'), tag: tagReferenceSchema, value: tagReferenceSchema.optional() }),
  z.strictObject({ kind: z.literal('tag_removed'), tag: tagReferenceSchema, value: tagReferenceSchema.optional() }),
  z.strictObject({ kind: z.literal('birthday'), days_before: z.number().int().min(0).max(60).default(0) }),
]);
export type CareTrigger = z.infer<typeof careTriggerSchema>;
export type CareTriggerKind = CareTrigger['kind'];
export type TagTrigger = Extract<CareTrigger, { kind: 'tag_added' | 'tag_removed' }>;

/** The trigger, when it follows a tag gaining or losing a value (stored triggers are read as JSON). */
export function tagTriggerOf(stored: string): TagTrigger | undefined {
  const trigger = JSON.parse(stored) as CareTrigger;
  return trigger.kind === 'tag_added' || trigger.kind === 'tag_removed' ? trigger : undefined;
}

export const careStepSchema = z.strictObject({
  after: z.string().refine((text) => parseStepOffset(text) !== undefined, 'a duration like 30m, 9h, 3d or -3d (at most 366 days)'),
  message: z.string().trim().min(1).max(1000),
  /** This step only for customers who match it when it falls due, besides the plan's condition: a birthday coupon by RFM level. */
  condition: z.string().trim().max(8000).nullable().optional(),
});
export type CareStep = z.infer<typeof careStepSchema>;

/** A reminder not yet due is dropped when, before it is, the customer does this (a refund of the order, the coupon used). */
export const careCancelSchema = z.strictObject({
  event_type: eventTypeSchema,
  /** Only an event whose property of this name equals the trigger event's (the same `order_id`). */
  same_property: propertySchema.optional(),
});
export type CareCancel = z.infer<typeof careCancelSchema>;

const CLOCK_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Hours in which no reminder falls due (the workspace's local time): one that would is moved to their end. */
export const quietHoursSchema = z
  .strictObject({
    start: z.string().regex(CLOCK_PATTERN, 'a time of day like 21:00'),
    end: z.string().regex(CLOCK_PATTERN, 'a time of day like 08:00'),
  })
  .refine((hours) => hours.start !== hours.end, 'quiet hours start and end at different times');
export type QuietHours = z.infer<typeof quietHoursSchema>;

function minuteOfDay(clock: string): number {
  const [hours = '0', minutes = '0'] = clock.split(':');
  return Number(hours) * 60 + Number(minutes);
}

/**
 * When a reminder due at `at` falls due given quiet hours: at `at` itself outside them, at their
 * end inside them (the same night's end for hours that run past midnight, 21:00–08:00).
 */
export function outsideQuietHours(at: number, hours: QuietHours | null | undefined, utcOffsetMinutes: number): number {
  if (!hours) return at;
  const start = minuteOfDay(hours.start);
  const end = minuteOfDay(hours.end);
  const local = at + utcOffsetMinutes * MINUTE_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS;
  const minute = (local - dayStart) / MINUTE_MS;
  const quiet = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!quiet) return at;
  // The end is later today, or (past midnight's start) tomorrow.
  const endToday = dayStart + end * MINUTE_MS;
  const endLocal = minute < end ? endToday : endToday + DAY_MS;
  return endLocal - utcOffsetMinutes * MINUTE_MS;
}

export const carePlanInputSchema = z.strictObject({
  key: z.string().regex(KEY_PATTERN, KEY_RULE),
  name: displayName(64),
  description: z.string().trim().max(1024).nullable().optional(),
  trigger: careTriggerSchema,
  /** An expression the customer must match when a reminder falls due; otherwise it is skipped. */
  condition: z.string().trim().max(8000).nullable().optional(),
  cancel_on: careCancelSchema.nullable().optional(),
  quiet_hours: quietHoursSchema.nullable().optional(),
  steps: z.array(careStepSchema).min(1).max(10),
  enabled: z.boolean().optional(),
});
export type CarePlanInput = z.input<typeof carePlanInputSchema>;
export type CarePlanDefinition = z.output<typeof carePlanInputSchema>;

/** What may change after a plan is made; its key and its trigger stay. */
/** A field a change may not hold, refused in words rather than as an unknown key. */
const unchangeable = (what: 'key' | 'trigger') =>
  z
    .unknown()
    .refine((value) => value === undefined, `a plan's ${what} cannot change: make a new plan, and switch this one off`)
    .optional();

export const carePlanPatchSchema = carePlanInputSchema.omit({ key: true, trigger: true }).partial().extend({ key: unchangeable('key'), trigger: unchangeable('trigger') });
export type CarePlanPatch = z.infer<typeof carePlanPatchSchema>;

/**
 * Why a step set before its trigger (`-3d`) can never be reminded of, or undefined when it can.
 * Triggers are read after they happened, so only a time among an event's properties (a coupon's
 * `expires_at`) lies ahead of them: counted back from anything else, every such step is past
 * when its trigger is read, and is dropped as late (or, within a day, falls due at once).
 */
export function stepBeforeTrigger(trigger: CareTrigger, steps: readonly Pick<CareStep, 'after'>[]): LocalizedText | undefined {
  if (trigger.kind === 'event' && trigger.time_property !== undefined) return undefined;
  const index = steps.findIndex((step) => (parseStepOffset(step.after) ?? 0) < 0);
  if (index < 0) return undefined;
  const after = steps[index]?.after ?? '';
  const step = index + 1;
  if (trigger.kind === 'birthday') {
    return localized(
      `step ${step}: "${after}" is before the birthday plan's day, which has begun when it is read: the step would be past already (dropped as late, or due at once); to remind ahead of a birthday, set the days ahead (days_before, say 3) and the step at 0 or later`,
      `第 ${step} 步：「${after}」早于触发当天，而读到触发时那一天已经开始，这一步一排上就已过时（作为过期丢弃，或立即到期）；要在生日前提醒，请把提前天数（days_before）设为如 3，步骤设在触发时或之后`,
    );
  }
  return localized(
    `step ${step}: "${after}" is before the trigger, which has already happened when it is read: the step would be past already (dropped as late, or due at once); only an event trigger counted from a time among its properties (the time property, time_property: a coupon's expires_at) can remind before it`,
    `第 ${step} 步：「${after}」早于触发，而读到触发时它已经发生，这一步一排上就已过时（作为过期丢弃，或立即到期）；只有按行为属性中的时间计时（计时属性 time_property，如优惠券的 expires_at）的行为触发才能在其之前提醒`,
  );
}

/**
 * Why the steps are not in the order they fall due (`3d` listed before `1d`), or undefined when
 * they are: each step is numbered by its place, so 第 2 步 would be reminded of before 第 1 步. Two
 * steps at one time are let be (two messages at once).
 */
export function stepsOutOfOrder(steps: readonly Pick<CareStep, 'after'>[]): LocalizedText | undefined {
  const offsets = steps.map((step) => parseStepOffset(step.after) ?? 0);
  const index = offsets.findIndex((offset, at) => at > 0 && offset < (offsets[at - 1] ?? offset));
  if (index < 0) return undefined;
  const after = steps[index]?.after ?? '';
  const before = steps[index - 1]?.after ?? '';
  return localized(
    `step ${index + 1}: "${after}" falls due before step ${index} ("${before}"): list the steps in the order they fall due`,
    `第 ${index + 1} 步：「${after}」比第 ${index} 步（「${before}」）先到期：请按到期的先后排列步骤`,
  );
}

/** How long a due reminder is put off (稍后提醒): `1h`, `3h`, `1d`, at most 366 days. */
export const snoozeSchema = z.string().refine((text) => (parseStepOffset(text) ?? 0) > 0, 'a time ahead like 1h, 3h or 1d (at most 366 days)');

export const REMINDER_STATUSES = ['scheduled', 'due', 'done', 'dismissed', 'skipped'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/** A reminder's status as an error names it, in both languages (the console's words). */
export const REMINDER_STATUS_LABELS: Record<ReminderStatus, LocalizedText> = {
  scheduled: localized('scheduled', '已安排'),
  due: localized('due', '待处理'),
  done: localized('done', '已完成'),
  dismissed: localized('dismissed', '已忽略'),
  skipped: localized('skipped', '已跳过'),
};

/** Why a reminder was skipped when it fell due, or (`undone`) withdrawn before, when the bulk tagging that triggered it was undone. */
export type SkipReason = 'condition' | 'cancelled' | 'disabled' | 'customer_gone' | 'merged' | 'birthday_changed' | 'undone';

export const SKIP_REASON_LABELS: Record<SkipReason, LocalizedText> = {
  condition: localized('the customer did not match the condition when it fell due', '到期时客户不满足条件'),
  cancelled: localized('cancelled by a later event', '被后续行为取消'),
  disabled: localized('the plan was off', '计划已停用'),
  customer_gone: localized('the customer was erased', '客户已删除'),
  merged: localized('the customer was merged into one with the same reminder', '客户已合并到另一位客户，对方已有同一提醒'),
  birthday_changed: localized('the customer’s birthday was changed after it was scheduled', '安排后客户的生日已修改'),
  undone: localized('withdrawn: the tagging that triggered it was undone', '打标已撤销，提醒随之撤回'),
};

// ------------------------------------------------------------------- message templates

/** A placeholder in a step's message: `{name}`, `{customer_id}`, `{tag:RFM等级}`, `{field:city}`, `{metric:spend_365d}`, `{event:order_id}`. */
export type Placeholder = { kind: 'name' } | { kind: 'customer_id' } | { kind: 'tag' | 'field' | 'metric' | 'event'; key: string };
export type TemplatePart = string | Placeholder;

const PLACEHOLDER_PATTERN = /\{\{|\}\}|\{([^{}]*)\}/g;

/** A message split into text and placeholders (`{{` and `}}` are literal braces), or the problem with it. */
export function parseTemplate(text: string): { parts: TemplatePart[] } | { error: LocalizedText } {
  const parts: TemplatePart[] = [];
  let literal = '';
  let last = 0;
  const lone = localized('a lone "{" or "}" in the message: write {{ or }} for a brace', '消息里有不成对的「{」或「}」：大括号本身写作 {{ 或 }}');
  // A lone brace is looked for in the text between matches, before `{{` has become `{`.
  for (const match of text.matchAll(PLACEHOLDER_PATTERN)) {
    const between = text.slice(last, match.index);
    if (/[{}]/.test(between)) return { error: lone };
    literal += between;
    last = match.index + match[0].length;
    if (match[0] === '{{' || match[0] === '}}') {
      literal += match[0][0];
      continue;
    }
    const placeholder = parsePlaceholder((match[1] ?? '').trim());
    if (!placeholder) {
      return { error: localized(`"${match[0]}" is not a placeholder: use {name}, {customer_id}, {tag:…}, {field:…}, {metric:…} or {event:…} ({{ for a brace)`, `「${match[0]}」不是占位符：可用 {name}、{customer_id}、{tag:…}、{field:…}、{metric:…} 或 {event:…}（大括号本身写作 {{）`) };
    }
    if (literal) parts.push(literal);
    literal = '';
    parts.push(placeholder);
  }
  const tail = text.slice(last);
  if (/[{}]/.test(tail)) return { error: lone };
  literal += tail;
  if (literal) parts.push(literal);
  return { parts };
}

function parsePlaceholder(inner: string): Placeholder | undefined {
  if (inner === 'name') return { kind: 'name' };
  if (inner === 'customer_id') return { kind: 'customer_id' };
  const colon = inner.indexOf(':');
  if (colon < 0) return undefined;
  const kind = inner.slice(0, colon).trim();
  const key = inner.slice(colon + 1).trim();
  if (key === '' || (kind !== 'tag' && kind !== 'field' && kind !== 'metric' && kind !== 'event')) return undefined;
  return { kind, key };
}

/** The message with each placeholder replaced by what `valueOf` gives (nothing for what the customer lacks). */
export function renderTemplate(parts: readonly TemplatePart[], valueOf: (placeholder: Placeholder) => string | undefined): string {
  return parts.map((part) => (typeof part === 'string' ? part : (valueOf(part) ?? ''))).join('');
}

/**
 * The language a message is written in, for the words its placeholders put into it (a time of
 * day's name, yes or no): English when its own text holds Latin letters and no Chinese
 * character, Chinese otherwise (the product's messages are Chinese unless written otherwise).
 */
export function messageLocale(parts: readonly TemplatePart[]): Locale {
  const text = parts.filter((part): part is string => typeof part === 'string').join('');
  return /[A-Za-z]/.test(text) && !/[\u3400-\u9fff\uf900-\ufaff]/.test(text) ? 'en' : 'zh-CN';
}

/** A time as a message writes it: `2026-09-01 20:15`, in the workspace's time zone. */
export function messageTime(ms: number, utcOffsetMinutes: number): string {
  return minuteInZone(ms, utcOffsetMinutes);
}

/** The event properties a plan's messages and cancel rule read, which a reminder keeps from its trigger. */
export function eventPropertiesRead(plan: Pick<CarePlanDefinition, 'steps' | 'cancel_on'>): string[] {
  const keys = new Set<string>();
  for (const step of plan.steps) {
    const parsed = parseTemplate(step.message);
    if ('parts' in parsed) for (const part of parsed.parts) if (typeof part !== 'string' && part.kind === 'event') keys.add(part.key);
  }
  if (plan.cancel_on?.same_property) keys.add(plan.cancel_on.same_property);
  return [...keys];
}

/** A property as a message shows it: text as is, numbers and booleans as written, anything else as JSON. */
export function propertyText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

// Money is written alike in both languages of a message (2,824.90), as the console prints it.
const MONEY_FORMAT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * A property of the trigger event as a message shows it: a built-in type's amount of money (an
 * order's `amount`, a coupon's `value`) to the cent with its thousands grouped, as the console
 * prints money; anything else as `propertyText` writes it, a shop's own properties as sent.
 */
export function eventPropertyText(eventType: string | undefined, property: string, value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && eventType !== undefined && isMoneyProperty(eventType, property)) return MONEY_FORMAT.format(value);
  return propertyText(value);
}

// ------------------------------------------------------------------- birthdays

/** The local calendar day (days since 1970-01-01 in the workspace's zone) of an instant. */
export function localDay(at: number, utcOffsetMinutes: number): number {
  return Math.floor((at + utcOffsetMinutes * MINUTE_MS) / DAY_MS);
}
