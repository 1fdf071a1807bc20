// Turns schema failures into the product's errors: one readable line per problem,
// with the item index (and path) so a batch says exactly which entries are wrong.
import { z } from 'zod';
import { batchItemError, TagbaseError, type ItemError } from './errors.js';
import { localized, type LocalizedText } from './locale.js';
import { fillBoth } from './message-template.js';
import { KEY_RULE_ZH } from './names.js';
import { namedSteps, UNSTORABLE_TEXT, unstorableTextPlaces } from './storable-text.js';
import { EARLIEST_TIME, ISO_TIME_MESSAGE, isBeforeEarliestTime, isValidTimestamp, writtenYear } from './time.js';

const ENGLISH = z.locales.en().localeError;
const CHINESE = z.locales.zhCN().localeError;

function rendered(message: ReturnType<typeof ENGLISH>): string | undefined {
  return typeof message === 'string' ? message : (message?.message ?? undefined);
}

/**
 * The product's own schema messages in Chinese, keyed by their English. Kept here rather than
 * beside each schema because zod stores one string per message; a message missing from the
 * table is shown in English in both languages.
 */
const SCHEMA_MESSAGES: readonly (readonly [RegExp, string | ((match: string, ...groups: string[]) => string)])[] = [
  [/^given (\d+) times; give it once$/, '出现了 $1 次，只能给一次'],
  [/^a number written in digits, like (\S+)$/, '应为用数字写的数，如 $1'],
  [/^"([\s\S]*)" is not an id: ids are written as plain whole numbers, like (\d+) \(no sign, leading zeros, decimal point, exponent or spaces\)$/, '「$1」不是有效的编号：编号写作普通整数，如 $2（不带正负号、前导零、小数点、指数或空格）'],
  [/^a key is 1-64 letters \(Chinese too\), digits, "_" or "-", starting with a letter or "_"$/, KEY_RULE_ZH],
  [/^1-64 ASCII letters \(A-Z, a-z\), digits, "-" or "_"$/, '1–64 个英文字母（A–Z、a–z）、数字、“-”或“_”'],
  [/^an event type in lower_snake_case$/, '事件类型须为小写下划线格式（lower_snake_case）'],
  [/^a time of day like (\S+)$/, '应为形如 $1 的时刻'],
  [/^a duration like 30m, 9h, 3d or -3d \(at most 366 days\)$/, '应为形如 30m、9h、3d 或 -3d 的时长（最多 366 天）'],
  [/^a time ahead like 1h, 3h or 1d \(at most 366 days\)$/, '应为往后推的时长，如 1h、3h 或 1d（最多 366 天）'],
  [/^one of status \(done or dismissed\), snooze \(like 1d\), reopen \(true\) or unsnooze \(true\)$/, '请指定 status（done 或 dismissed）、snooze（如 1d）、reopen（true）或 unsnooze（true），四者选一'],
  [/^the secret is changed with POST \/webhooks\/\{webhook\}\/secret, which shows the new one once$/, '签名密钥请用 POST /webhooks/{webhook}/secret 更换，新密钥只显示这一次'],
  [/^quiet hours start and end at different times$/, '免打扰时段的开始和结束时间不能相同'],
  [/^an event type, or \* for every type$/, '应为事件类型，或用 * 表示所有类型'],
  [/^name either an expression or a segment$/, '请指定表达式或人群，二者选一'],
  [/^name a segment or an expression, not both$/, '请指定人群或表达式，不能同时指定'],
  [/^name each category once$/, '每个类目只能出现一次'],
  [/^a customer id is 1-128 characters without spaces or control characters$/, '客户编号为 1–128 个字符，不能含空格或控制字符'],
  [/^an event type is lower_snake_case, up to 64 characters$/, '事件类型须为小写下划线格式（lower_snake_case），最多 64 个字符'],
  [/^a date like (\S+)$/, '应为形如 $1 的日期'],
  [/^a birthday is not in the future$/, '生日不能是将来的日期'],
  [/^more than a day ahead of the server's clock$/, '比服务器时钟超前一天以上'],
  [/^a custom field holds text, a number, true or false, or null$/, '自定义字段的值应为文本、数字、true 或 false，或 null'],
  // A built-in enum field (gender, type): its values, then their Chinese labels.
  [/^one of (.+) \(or (.+)\)$/, (_match, values = '', labels = '') => `应为以下之一：${values.split(', ').join('、')}（或${labels.split(', ').join('、')}）`],
  [/^year (\d+) is before (\d+): a birthday is (\S+) or later$/, '年份 $1 早于 $2 年：生日须在 $3 或之后'],
  [/^year (\d+) is before (\d+): a time is (\S+) or later$/, '年份 $1 早于 $2 年：时间须在 $3 或之后'],
  [/^a time is (\S+) or later$/, '时间须在 $1 或之后'],
  [/^an ISO 8601 time like (\S+); a "\+" in the address reads as a space: write \+(\S+) as %2B(\S+)$/, '应为形如 $1 的 ISO 8601 时间；地址中的“+”会被读作空格：请把 +$2 写成 %2B$3'],
  [/^an ISO 8601 time like (\S+)$/, '应为形如 $1 的 ISO 8601 时间'],
  [/^an ISO 8601 time written as text, like (\S+)$/, '应为文本形式的 ISO 8601 时间，如 $1'],
  [/^an ISO 8601 time$/, '应为 ISO 8601 时间'],
  [/^an ISO 8601 time, or a number of Unix seconds or milliseconds$/, '应为 ISO 8601 时间，或以 Unix 秒或毫秒计的数字'],
  [/^a colour like (\S+)$/, '应为形如 $1 的颜色'],
  [/^every value of a rule tag needs a condition$/, '规则标签的每个值都需要条件'],
  [/^a (\w+) tag has no conditions; use kind "rule"$/, '$1 标签没有条件；需要条件请使用 kind "rule"'],
  [/^a model tag is made by enabling its model \(PUT \/api\/v1\/models\/\{model\}\); use kind "manual" or "rule"$/, '模型标签随模型启用而创建（PUT /api/v1/models/{model}）；请使用 kind "manual" 或 "rule"'],
  [/^a model tag is made by enabling its model \(PUT \/api\/v1\/models\/\{model\}\); a tag becomes "manual" or "rule"$/, '模型标签随模型启用而创建（PUT /api/v1/models/{model}）；标签只能改为 kind "manual" 或 "rule"'],
  [/^conditions come with kind "rule"$/, 'conditions 只能与 kind "rule" 一起给出'],
  [/^value key "(.*)" appears twice$/, '值标识「$1」出现了两次'],
  [/^value name "(.*)" appears twice$/, '值名称「$1」出现了两次'],
  [/^an enum field needs options$/, '枚举字段需要 options'],
  [/^option "(.*)" appears twice$/, '选项「$1」出现了两次'],
  [/^a secret may not start or end with spaces$/, '密钥首尾不能有空格'],
  [/^a plan's key cannot change: make a new plan, and switch this one off$/, '关怀计划的标识不能修改：请新建计划，并停用这一个'],
  [/^a plan's trigger cannot change: make a new plan, and switch this one off$/, '关怀计划的触发条件不能修改：请新建计划，并停用这一个'],
  [/^only enum fields have options$/, '只有枚举字段才有 options'],
  [/^must be more than (\w+)$/, '必须大于 $1'],
  [/^each bound must be greater than the one before$/, '每个分界值都要大于前一个'],
  [/^a name needs at least one visible character$/, '名称至少需要一个可见字符'],
  [/^a name may not hold a line break, a tab or another control character$/, '名称中不能含有换行、制表符或其他控制字符'],
  [/^a threshold is "mean", "median" or a number of at least 0$/, '阈值为 "mean"（平均值）、"median"（中位数）或不小于 0 的数'],
  [/^(\S+) is none of the product's own attributes \((.+), and of a list's items (\S+)\); an event's own property is named without @$/, (_match, name = '', attributes = '', item = '') => `${name} 不是系统内置的属性（内置属性有 ${attributes.split(', ').join('、')}，以及列表中每一项的 ${item}）；事件自带的属性请直接写名称，不加 @`],
  [/^sum and avg add up a numeric property \(amount, items\[\]\.quantity\): name it in property$/, 'sum 和 avg 汇总的是数值属性（如 amount、items[].quantity）：请在 property 中指定'],
  [/^(distinct_count|most_frequent) counts the values of a property \(items\[\]\.category, channel, @hour_band\): name it in property$/, '$1 统计的是某个属性的取值（如 items[].category、channel、@hour_band）：请在 property 中指定'],
  [/^(sum|avg|min|max) reads numbers, and (\S+) of (\S+) is text: count it with distinct_count or most_frequent, or take first or last$/, '$1 读取的是数值，而 $3 的 $2 是文本：请用 distinct_count 或 most_frequent 统计，或用 first、last 取值'],
  [/^value_type is declared only by a first or last of an event property; the other aggregations and @ attributes have the type they compute$/, 'value_type 只能由取事件属性的 first 或 last 声明；其他聚合方式和 @ 属性的类型由其计算方式决定'],
  [/^(\S+) of (\S+) holds (text|numbers): its value_type is (\w+)$/, (_match: string, property: string, eventType: string, holds: string, type: string) => `${eventType} 的 ${property} 是${holds === 'text' ? '文本' : '数值'}：它的 value_type 是 ${type}`],
  [/^assigning needs a value; only action remove may leave it out$/, '添加标签需要 value；只有 action 为 remove 时可以不写'],
  [/^action remove takes no expires_at: a value taken off has no expiry; leave expires_at out, or assign the value to give it one$/, 'action 为 remove 时不能带 expires_at：移除的值没有到期时间；请去掉 expires_at，或用 assign 添加该值并设置到期时间'],
  [/^on_assigned=move needs move_to, the value the assignments move to$/, 'on_assigned=move 需要 move_to，即这些标签要移到的值'],
  [/^(on_assigned|move_to) and (onAssigned|moveTo) say different things; send (\w+) alone$/, '$1 和 $2 的取值不一致；请只传 $3'],
];

function schemaMessageInChinese(message: string): string | undefined {
  for (const [pattern, chinese] of SCHEMA_MESSAGES) {
    if (pattern.test(message)) return typeof chinese === 'string' ? message.replace(pattern, chinese) : message.replace(pattern, chinese);
  }
  return undefined;
}

/** A message of the table above in every language, for a check made after the schema's (a time read in the workspace's zone). */
export function schemaMessageText(message: string): LocalizedText {
  return localized(message, schemaMessageInChinese(message) ?? message);
}

/**
 * An issue's message in every language. zod words an issue in its default (English) locale
 * unless the schema gave its own message: default wording is worded again by zod's Chinese
 * locale, the product's own messages come from the table above. Issues need their input
 * (`reportInput`) for zod to say what it received.
 */
export function issueText(issue: z.core.$ZodIssue): LocalizedText {
  // A query parameter read as a number (`limit=abc`) arrives as NaN; "received NaN" says nothing to the sender.
  if (issue.code === 'invalid_type' && issue.expected === 'number' && / NaN$/.test(issue.message)) return localized('expected a number', '应为数字');
  // A missing field (an import row's empty `id` cell, a body without `name`): "expected string,
  // received undefined" speaks of types to someone who only left something out.
  if (issue.code === 'invalid_type' && issue.input === undefined && isDefaultMessage(issue)) return localized('required, and missing here', '必填，此处缺少');
  const raw = issue as unknown as z.core.$ZodRawIssue;
  if (!isDefaultMessage(issue)) return localized(issue.message, schemaMessageInChinese(issue.message) ?? issue.message);
  return plainIssueText(issue) ?? localized(issue.message, rendered(CHINESE(raw)) ?? issue.message);
}

const KINDS_OF_INPUT: Readonly<Record<string, LocalizedText>> = {
  string: localized('text', '文本'),
  number: localized('a number', '数字'),
  int: localized('a whole number', '整数'),
  boolean: localized('true or false', 'true 或 false'),
  object: localized('an object', '对象'),
  // z.record: a JSON object of any keys (custom fields, event properties).
  record: localized('an object', '对象'),
  array: localized('a list', '数组'),
  null: localized('null', 'null'),
};

/** A kind's Chinese words after Chinese text: a JSON word (null, true or false) set apart by a space, as a number is (收到的是 1.5). */
function besideChinese(words: string): string {
  return /^[A-Za-z0-9]/.test(words) ? ` ${words}` : words;
}

/** What an input is, for "got …": the JSON kinds a sender writes. */
function kindOf(input: unknown): LocalizedText | undefined {
  if (input === undefined) return undefined;
  if (input === null) return KINDS_OF_INPUT.null;
  if (Array.isArray(input)) return KINDS_OF_INPUT.array;
  return KINDS_OF_INPUT[typeof input];
}

/**
 * zod's own wording of the common issues speaks of types and operators ("Too small: expected
 * number to be >=1", and in Chinese "数值过小：期望 number >=1", half English): these say
 * what the sender should write, in each language. Other issues keep zod's words.
 */
function plainIssueText(issue: z.core.$ZodIssue): LocalizedText | undefined {
  switch (issue.code) {
    case 'too_small': {
      const least = String(issue.minimum);
      // `int`: a whole number beyond the safe range (±2⁵³), which `.int()` checks.
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return issue.inclusive ? localized(`at least ${least}`, `不能小于 ${least}`) : localized(`more than ${least}`, `须大于 ${least}`);
      if (issue.origin === 'string') return least === '1' ? localized('may not be empty', '不能为空') : fillBoth('at least {n} characters', '至少 {n} 个字符', { n: Number(issue.minimum) });
      if (issue.origin === 'array' || issue.origin === 'set') return fillBoth('at least {n} {n:item|items}', '至少 {n} 项', { n: Number(issue.minimum) });
      return undefined;
    }
    case 'too_big': {
      const most = String(issue.maximum);
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return issue.inclusive ? localized(`at most ${most}`, `不能大于 ${most}`) : localized(`less than ${most}`, `须小于 ${most}`);
      if (issue.origin === 'string') return fillBoth('at most {n} {n:character|characters}', '最多 {n} 个字符', { n: Number(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set') return fillBoth('at most {n} {n:item|items}', '最多 {n} 项', { n: Number(issue.maximum) });
      return undefined;
    }
    case 'invalid_type': {
      const expected = KINDS_OF_INPUT[issue.expected];
      if (!expected) return undefined;
      // `.int()` of 1.5: "got a number" would not say what is wrong with it.
      if (issue.expected === 'int' && typeof issue.input === 'number') return localized(`expected a whole number, got ${issue.input}`, `应为整数，收到的是 ${issue.input}`);
      const got = kindOf(issue.input);
      const expectedZh = besideChinese(expected['zh-CN']);
      return got === undefined || got === expected ? localized(`expected ${expected.en}`, `应为${expectedZh}`) : localized(`expected ${expected.en}, got ${got.en}`, `应为${expectedZh}，收到的是${besideChinese(got['zh-CN'])}`);
    }
    case 'unrecognized_keys': {
      // A misspelt field or query parameter (`nam`, `?limt=5`): the path names it when it is one.
      const quoted = issue.keys.map((key) => ({ en: `"${key}"`, zh: `「${key}」` }));
      return localized(`unknown field ${quoted.map((q) => q.en).join(', ')}`, `未知字段${quoted.map((q) => q.zh).join('、')}`);
    }
    case 'invalid_format':
      // zod says "Invalid URL" (「无效URL」) of `not a url` without saying what one looks like.
      return issue.format === 'url' ? localized('a URL like https://crm.example.com/hooks/tagbase', '应为网址，如 https://crm.example.com/hooks/tagbase') : undefined;
    case 'invalid_union': {
      // A discriminated union (a care plan's trigger, a metric's window) whose `kind` is none of
      // its kinds: zod says "Invalid discriminator value" in English and "无效输入" in Chinese.
      if (!('options' in issue) || issue.options === undefined || issue.discriminator === undefined) return undefined;
      const kinds = issue.options.map((option) => (typeof option === 'string' ? option : JSON.stringify(option)));
      const input: unknown = issue.input;
      const given = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[issue.discriminator] : undefined;
      if (given === undefined) return localized(`required: one of ${kinds.join(', ')}`, `必填，应为以下之一：${kinds.join('、')}`);
      return localized(`one of ${kinds.join(', ')}`, `应为以下之一：${kinds.join('、')}`);
    }
    case 'invalid_value': {
      const values = issue.values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
      if (values.length === 1) return localized(`must be ${values[0] ?? ''}`, `应为 ${values[0] ?? ''}`);
      // Left out, it is required as any field left out is, as a union's kind says.
      if (issue.input === undefined) return localized(`required: one of ${values.join(', ')}`, `必填，应为以下之一：${values.join('、')}`);
      return localized(`one of ${values.join(', ')}`, `应为以下之一：${values.join('、')}`);
    }
    default:
      return undefined;
  }
}

/** Where an issue is: an unknown field's own name when it is the only one, as every other issue names its field. */
export function issuePath(issue: z.core.$ZodIssue): string[] {
  const path = issue.path.map(String);
  return issue.code === 'unrecognized_keys' && issue.keys.length === 1 ? [...path, String(issue.keys[0])] : path;
}

/**
 * The issues as they are told, each with its place and words: an issue of several unknown keys
 * as one per key, each at its own path (as `errors[].path` names every other field), and an
 * issue worded like another at the same place once (`.int().max(2⁵³ - 1)` says "at most" twice).
 */
export function toldIssues(issues: readonly z.core.$ZodIssue[]): { issue: z.core.$ZodIssue; path: string[]; text: LocalizedText }[] {
  const told: { issue: z.core.$ZodIssue; path: string[]; text: LocalizedText }[] = [];
  const seen = new Set<string>();
  const tightest = tightestNumberBounds(issues);
  for (const issue of issues) {
    const parts = issue.code === 'unrecognized_keys' && issue.keys.length > 1 ? issue.keys.map((key) => unknownKey(issue, key)) : [issue];
    for (const part of parts) {
      const bound = numberBound(part);
      if (bound !== undefined && tightest.get(bound.place) !== bound.value) continue;
      const path = issuePath(part);
      const text = issueText(part);
      const key = `${path.join('\u0000')}\u0001${text.en}`;
      if (seen.has(key)) continue;
      seen.add(key);
      told.push({ issue: part, path, text });
    }
  }
  return told;
}

/**
 * A number's bound an issue says it passed, by place and direction. `.int().max(500)` refuses
 * 10²⁰ at 2⁵³ − 1 as well as at 500; the call's own bound is the one to tell.
 */
function numberBound(issue: z.core.$ZodIssue): { place: string; value: number } | undefined {
  if (issue.code !== 'too_big' && issue.code !== 'too_small') return undefined;
  if (issue.origin !== 'number' && issue.origin !== 'int' && issue.origin !== 'bigint') return undefined;
  return { place: `${issue.code}\u0001${issue.path.map(String).join('\u0000')}`, value: Number(issue.code === 'too_big' ? issue.maximum : issue.minimum) };
}

/** The tightest bound passed at each place and in each direction: the lowest maximum, the highest minimum. */
function tightestNumberBounds(issues: readonly z.core.$ZodIssue[]): Map<string, number> {
  const tightest = new Map<string, number>();
  for (const issue of issues) {
    const bound = numberBound(issue);
    if (bound === undefined) continue;
    const held = tightest.get(bound.place);
    const tighter = held === undefined || (issue.code === 'too_big' ? bound.value < held : bound.value > held);
    if (tighter) tightest.set(bound.place, bound.value);
  }
  return tightest;
}

/** One key of an issue of several unknown keys, worded as zod words such an issue. */
function unknownKey(issue: z.core.$ZodIssueUnrecognizedKeys, key: string): z.core.$ZodIssue {
  const single = { ...issue, keys: [key] };
  return { ...single, message: rendered(ENGLISH(single as unknown as z.core.$ZodRawIssue)) ?? issue.message };
}

/** Whether zod worded the issue itself, rather than a schema giving its own message. */
function isDefaultMessage(issue: z.core.$ZodIssue): boolean {
  return rendered(ENGLISH(issue as unknown as z.core.$ZodRawIssue)) === issue.message;
}

/** What a time field says of a value that is not text (a Unix time sent as a number): "expected text" would not say which text. */
export const ISO_TIME_TEXT_MESSAGE = 'an ISO 8601 time written as text, like 2026-01-31T08:00:00Z';

/** An ISO 8601 time field (`occurred_at`, `expires_at` …); a field left out is still "required". */
export function isoTimeText() {
  return z.string({ error: (issue) => (issue.input === undefined ? undefined : ISO_TIME_TEXT_MESSAGE) }).refine(isValidTimestamp, ISO_TIME_MESSAGE);
}

/** Why a time before `EARLIEST_TIME` is refused, naming the year as written when that is the problem. */
export function tooEarlyTimeMessage(text: string): string {
  const year = text.trim().slice(0, 4);
  const earliestYear = writtenYear(EARLIEST_TIME);
  // 1970-01-01 05:00+08:00 is a minute of 1969 in UTC: the year as written is not the problem there.
  return writtenYear(text) < earliestYear ? `year ${year} is before ${earliestYear}: a time is ${EARLIEST_TIME} or later` : `a time is ${EARLIEST_TIME}T00:00:00Z or later`;
}

/**
 * A time the product keeps (an event's `occurred_at`, a customer's `first_seen_at`): an ISO 8601
 * time from `EARLIEST_TIME` on. Times that only select (a period's `from`) may be earlier.
 */
export function storedTimeText() {
  return z
    .string({ error: (issue) => (issue.input === undefined ? undefined : ISO_TIME_TEXT_MESSAGE) })
    .refine((text) => isValidTimestamp(text) || isBeforeEarliestTime(text), ISO_TIME_MESSAGE)
    .refine((text) => !isBeforeEarliestTime(text), { error: (issue) => tooEarlyTimeMessage(String(issue.input)) });
}

/** Parse options under which issues keep their input, so `issueText` can word them again. */
export const REPORT_INPUT = { reportInput: true } as const;

export function describeIssues(error: z.ZodError): LocalizedText {
  const line = (path: string[], text: string) => (path.length > 0 ? `${path.join('.')}: ${text}` : text);
  const texts = toldIssues(error.issues);
  return localized(texts.map(({ path, text }) => line(path, text.en)).join('; '), texts.map(({ path, text }) => line(path, text['zh-CN'])).join('；'));
}

/** Parses one input or throws VALIDATION_FAILED naming every problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input, REPORT_INPUT);
  if (!result.success) throw new TagbaseError('VALIDATION_FAILED', { detail: describeIssues(result.error) });
  return result.data;
}

/**
 * Parses every item of a batch, collecting errors instead of stopping at the first. Text a store
 * cannot keep alike (src/core/storable-text.ts) refuses its item here, told with the item's other
 * problems and the other items', rather than refusing the whole body for the first one found.
 */
export function parseBatch<S extends z.ZodType>(schema: S, items: readonly unknown[]): { values: (z.infer<S> | undefined)[]; errors: ItemError[] } {
  const values: (z.infer<S> | undefined)[] = [];
  const errors: ItemError[] = [];
  const unstorable = localized(UNSTORABLE_TEXT.en, UNSTORABLE_TEXT.zh);
  items.forEach((item, index) => {
    const result = schema.safeParse(item, REPORT_INPUT);
    const places = unstorableTextPlaces(item);
    values.push(result.success && places.length === 0 ? result.data : undefined);
    // A key holding such text is named as JSON writes it (`a\\u0000b`), and pointed at as the item holds it.
    const named = (error: ItemError, path: string[]): ItemError => (places.length === 0 ? error : { ...error, path: namedSteps(path).join('.') });
    if (!result.success) for (const { path, text } of toldIssues(result.error.issues)) errors.push(named(batchItemError(index, 'VALIDATION_FAILED', path, text), path));
    for (const place of places) errors.push(named(batchItemError(index, 'VALIDATION_FAILED', place, unstorable), place));
  });
  return { values, errors };
}

/** Throws when a batch had problems: nothing of it is stored. */
export function rejectBatchIfInvalid(errors: ItemError[]): void {
  if (errors.length === 0) return;
  const shown = (zh: boolean) =>
    errors.slice(0, 3).map((e) => {
      const path = e.path ? ` ${e.path}` : '';
      return zh ? `第 ${e.index} 项${path}：${e.localized?.['zh-CN'] ?? e.message}` : `item ${e.index}${path}: ${e.message}`;
    });
  const more = errors.length - 3;
  const detail = localized(
    `${errors.length} ${errors.length === 1 ? 'problem' : 'problems'} in the batch; nothing was stored. ${shown(false).join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
    `本批有 ${errors.length} 处问题，未保存任何数据。${shown(true).join('；')}${more > 0 ? `；另有 ${more} 处` : ''}`,
  );
  throw new TagbaseError('VALIDATION_FAILED', { detail }, errors);
}

export function assertBatchSize(count: number, max: number): void {
  if (count > max) throw new TagbaseError('BATCH_TOO_LARGE', { max, count });
}
