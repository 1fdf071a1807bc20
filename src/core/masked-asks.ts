// What a role that sees personal data masked may ask of it: a metric that picks a property's
// value (the last `receiver_phone`) is shown to that role as `138****5678`, and an expression, a
// sort or a sum that reads it must not tell the rest back, digit by digit or by order. A lookup
// by a whole value stays, as a search by a whole phone number finds its customer.
import type { PersonalDataView } from './access.js';
import { TagbaseError, jsonPointer, namedInMessage, placedProblem, type ErrorCode } from './errors.js';
import type { BoundExpression, BoundValue } from './expression/bound.js';
import { printString } from './expression/printer.js';
import { scanTokens } from './expression/scanner.js';
import type { Span } from './expression/span.js';
import { localized, type LocalizedText } from './locale.js';
import { maskPersonalMetricValue, metricPickedProperty } from './masked-properties.js';
import { maskPersonalDataInText } from './personal-text.js';
import type { MetricDefinition } from './metric.js';

/**
 * How many whole values one expression may compare masked personal data with, in all its
 * `=`, `!=`, `in` and `not in` together: a lookup of a few customers, not a sweep through every
 * number that the mask leaves open (`138****5678` leaves ten thousand).
 */
export const MAX_MASKED_LOOKUP_VALUES = 5;

const CODE: ErrorCode = 'PERSONAL_DATA_MASKED';

/**
 * Whether a metric holds personal data by what its property is called: a value picked from a
 * property whose name says it is a phone number, an e-mail address, an ID card number or an
 * address (`last` of `receiver_phone`, `most_frequent` of `收货地址`). Such a metric is never
 * sorted by, summed or compared in order by a role that sees it masked.
 */
export function isPersonalDataMetric(definition: MetricDefinition): boolean {
  return metricPickedProperty(definition)?.named !== undefined;
}

/**
 * Whether a literal compared with `definition` would be shown masked were it the metric's value:
 * a phone number, e-mail address or ID card number (or, under a name that says so, an address).
 */
function isPersonalLiteral(definition: MetricDefinition, value: BoundValue): boolean {
  if (value.kind !== 'number' && value.kind !== 'string') return false;
  return maskPersonalMetricValue(definition, value.value, []) !== value.value;
}

/** What an expression asks that a masked view may not: where, of which metric, and why. */
export interface MaskedAsk {
  metric: { key: string; name: string };
  /** In the caller's expression: the comparison, or the `segment("…")` through which it is read. */
  span: Span;
  reason: 'ordered' | 'values';
  /** For `values`: how many whole values the expression compares masked data with. */
  values: number;
  /** The saved segments it is read through, the one the caller's expression names first; empty when the caller wrote it. */
  through: { key: string; name: string }[];
}

/**
 * A saved segment an expression reads, as `maskedAsk` walks it: its compiled expression (undefined
 * when it no longer compiles or reads itself), and whether whoever last wrote that expression saw
 * personal data masked, or is not known to have seen it whole (`masked`).
 */
export interface ReadSegment {
  key: string;
  name: string;
  bound: BoundExpression | undefined;
  masked: boolean;
}

/** Finds a saved segment by the key a bound `segment("…")` names. */
export type SegmentReader = (key: string) => ReadSegment | undefined;

/**
 * The first thing `bound` asks of personal data that a role seeing it masked may not ask: an
 * ordered comparison (`<`, `<=`, `>`, `>=`, `before`, `after`, `between`) of a personal-data
 * metric, or of any picked metric with a value that would be masked (`max_contact >=
 * 13850000000`); or more than `MAX_MASKED_LOOKUP_VALUES` such values compared whole in all.
 * Saved segments it reads (`segment("…")`, through `segments`) are walked, at any depth, each
 * once: what one written by a role that sees personal data masked asks counts as the caller's,
 * since such a role could otherwise save five numbers a segment and read them all together; one
 * written by a role that sees it whole is that author's asking, and only the segments it reads
 * in turn are walked.
 */
export function maskedAsk(bound: BoundExpression, metrics: readonly MetricDefinition[], segments?: SegmentReader): MaskedAsk | undefined {
  const byKey = new Map(metrics.map((metric) => [metric.key, metric]));
  const seen = new Set<string>();
  let lookups = 0;
  /** `counted`: the node was written by the caller or a masked author; `via`: the outermost segment read and the chain. */
  const visit = (node: BoundExpression, counted: boolean, via: { span: Span; through: { key: string; name: string }[] } | undefined): MaskedAsk | undefined => {
    switch (node.kind) {
      case 'and':
      case 'or':
        for (const operand of node.operands) {
          const found = visit(operand, counted, via);
          if (found) return found;
        }
        return undefined;
      case 'not':
        return visit(node.operand, counted, via);
      case 'segment': {
        if (!segments || seen.has(node.segment.key)) return undefined;
        seen.add(node.segment.key);
        const read = segments(node.segment.key);
        if (!read?.bound) return undefined;
        const step = { key: read.key, name: read.name };
        return visit(read.bound, read.masked, via ? { span: via.span, through: [...via.through, step] } : { span: node.span, through: [step] });
      }
      case 'tag':
      case 'presence':
      case 'withinLast':
      case 'withinAnniversary':
        return undefined;
      case 'compare':
      case 'in':
      case 'between': {
        if (!counted) return undefined;
        const definition = node.attribute.source === 'metric' ? byKey.get(node.attribute.key) : undefined;
        if (!definition || !metricPickedProperty(definition)) return undefined;
        const metric = { key: definition.key, name: definition.name };
        const values = node.kind === 'compare' ? [node.value] : node.kind === 'in' ? node.values : [node.low, node.high];
        const ordered = node.kind === 'between' || (node.kind === 'compare' && node.operator !== '=' && node.operator !== '!=');
        const personal = values.filter((value) => isPersonalLiteral(definition, value)).length;
        const span = via?.span ?? node.span;
        const through = via?.through ?? [];
        if (ordered && (isPersonalDataMetric(definition) || personal > 0)) return { metric, span, reason: 'ordered', values: 0, through };
        lookups += ordered ? 0 : personal;
        return lookups > MAX_MASKED_LOOKUP_VALUES ? { metric, span, reason: 'values', values: lookups, through } : undefined;
      }
      default: {
        const unreachable: never = node;
        return unreachable;
      }
    }
  };
  return visit(bound, true, undefined);
}

/**
 * `source` as a role that sees personal data masked is shown it: every value it compares a
 * picked metric with that would be masked were it the metric's value (`last_receiver_phone =
 * "13912345678"`, an address compared with `usual_address`), and every phone number, e-mail
 * address and ID card number in its other strings and numbers, written as the masked string
 * (`"139****5678"`). The rest is left as written, comments and spacing too.
 */
export function maskedExpressionText(source: string, bound: BoundExpression | undefined, metrics: readonly MetricDefinition[]): string {
  const byKey = new Map(metrics.map((metric) => [metric.key, metric]));
  const hidden = new Map<string, string>();
  const collect = (node: BoundExpression): void => {
    switch (node.kind) {
      case 'and':
      case 'or':
        node.operands.forEach(collect);
        return;
      case 'not':
        collect(node.operand);
        return;
      case 'compare':
      case 'in':
      case 'between': {
        const definition = node.attribute.source === 'metric' ? byKey.get(node.attribute.key) : undefined;
        if (!definition || !metricPickedProperty(definition)) return;
        const values = node.kind === 'compare' ? [node.value] : node.kind === 'in' ? node.values : [node.low, node.high];
        for (const value of values) {
          if (value.kind !== 'number' && value.kind !== 'string') continue;
          const masked = maskPersonalMetricValue(definition, value.value, []);
          if (masked !== value.value) hidden.set(String(value.value), String(masked));
        }
        return;
      }
      case 'segment':
      case 'tag':
      case 'presence':
      case 'withinLast':
      case 'withinAnniversary':
        return;
      default: {
        const unreachable: never = node;
        return unreachable;
      }
    }
  };
  if (bound) collect(bound);
  let shown = '';
  let from = 0;
  for (const token of scanTokens(source).tokens) {
    if (token.kind !== 'string' && token.kind !== 'number') continue;
    const value = token.kind === 'string' ? token.value : token.text;
    const masked = hidden.get(token.kind === 'string' ? token.value : String(token.value)) ?? maskPersonalDataInText(value);
    if (masked === value) continue;
    shown += source.slice(from, token.span.offset) + printString(masked);
    from = token.span.offset + token.span.length;
  }
  return shown + source.slice(from);
}

const INTRO = localized('your role sees personal data masked', '你的角色只能看到遮盖后的个人数据');

/** What is refused, without where: an item's message, as a diagnostic's is. */
function askText(ask: MaskedAsk): LocalizedText {
  const said = ownAskText(ask);
  if (ask.through.length === 0) return said;
  const chain = ask.through.map((segment) => namedInMessage(segment));
  const en = chain.map((named) => `segment ${named.en}`).join(', which reads ');
  const zh = chain.map((named) => `人群${named['zh-CN']}`).join('所引用的');
  return localized(
    `read through ${en}, whose expression a role that sees personal data masked saved (or was saved before its author was recorded), so what it asks counts as this expression's: ${said.en}; an administrator saving that segment again vouches for it`,
    `经由${zh}读取，该人群的表达式由只能看到遮盖后个人数据的角色保存（或保存时未记录保存者），所以它的条件算作本表达式的：${said['zh-CN']}；管理员重新保存该人群即可为其担保`,
  );
}

function ownAskText(ask: MaskedAsk): LocalizedText {
  const named = namedInMessage(ask.metric);
  if (ask.reason === 'ordered') {
    return localized(
      `metric ${named.en} holds personal data, which your role sees masked; compare it only with whole values (=, != or in), not with <, <=, >, >=, before, after or between, which would tell what the mask hides`,
      `指标${named['zh-CN']}含个人数据，你的角色只能看到遮盖后的值；只能与完整的值比较（=、!= 或 in），不能用 <、<=、>、>=、before、after 或 between，否则会透露被遮盖的部分`,
    );
  }
  return localized(
    `your role sees personal data masked, so an expression may compare it with at most ${String(MAX_MASKED_LOOKUP_VALUES)} whole values (phone numbers, e-mail addresses, ID card numbers, addresses), as a lookup does; this one compares metric ${named.en} and the like with ${String(ask.values)}`,
    `你的角色只能看到遮盖后的个人数据，一个表达式最多只能与 ${String(MAX_MASKED_LOOKUP_VALUES)} 个完整的值（手机号、邮箱、身份证号、地址）比较，如同查找；这个表达式让指标${named['zh-CN']}等与 ${String(ask.values)} 个值比较`,
  );
}

/**
 * The refusal (`PERSONAL_DATA_MASKED`, 403) of what `maskedAsk` found, its one entry in `errors[]`
 * placed at `path` (where the expression sits in the body: `expression`, `steps.1.condition`;
 * `value:line:column` for a rule tag's value) with the line, column, offset and length of what it
 * points at, as an expression's diagnostics are; `about` says whose expression it is.
 */
export function maskedAskProblem(ask: MaskedAsk, place: { path: string; pointer?: readonly (string | number)[] | undefined; about?: LocalizedText | undefined }): TagbaseError {
  const said = askText(ask);
  // The detail says where, as an expression's problem does: `line 1, column 17: …`.
  const placed = localized(`line ${ask.span.line}, column ${ask.span.column}: ${said.en}`, `第 ${ask.span.line} 行第 ${ask.span.column} 列：${said['zh-CN']}`);
  const text = place.about ? localized(`${place.about.en}: ${placed.en}`, `${place.about['zh-CN']}：${placed['zh-CN']}`) : placed;
  const item = {
    index: 0,
    code: CODE,
    message: said.en,
    localized: said,
    path: place.path,
    ...(place.pointer === undefined ? {} : { pointer: jsonPointer(place.pointer) }),
    line: ask.span.line,
    column: ask.span.column,
    offset: ask.span.offset,
    length: ask.span.length,
    reason: ask.reason === 'ordered' ? 'masked_ordered' : 'masked_values',
    params: { metric: ask.metric.key, limit: MAX_MASKED_LOOKUP_VALUES, ...(ask.through.length === 0 ? {} : { segments: ask.through.map((segment) => segment.key) }) },
  };
  return new TagbaseError(CODE, { detail: text }, [item]);
}

/**
 * Refuses what `maskedAsk` finds in an expression the caller wrote, with the saved segments it
 * reads walked by `segments`, for a caller who sees personal data masked; `path` is where the
 * expression sits in the body. Full views pass everything.
 */
export function assertMaskedAsks(view: PersonalDataView | undefined, bound: BoundExpression, metrics: readonly MetricDefinition[], segments: SegmentReader | undefined, path = 'expression'): void {
  if (view !== 'masked') return;
  const ask = maskedAsk(bound, metrics, segments);
  if (ask) throw maskedAskProblem(ask, { path, pointer: path.split('.').map((step) => (/^\d+$/.test(step) ? Number(step) : step)) });
}

/**
 * Refuses a sort (`sort`) or a sum and mean (`metrics`) by a personal-data metric for a caller who
 * sees it masked: the order of the members, or one member's mean, would tell what the mask hides.
 */
export function assertMaskedReads(view: PersonalDataView | undefined, metricKeys: readonly string[], metrics: readonly MetricDefinition[], use: 'sort' | 'metrics'): void {
  if (view !== 'masked') return;
  for (const key of metricKeys) {
    const definition = metrics.find((metric) => metric.key === key);
    if (!definition || !isPersonalDataMetric(definition)) continue;
    const named = namedInMessage(definition);
    const text =
      use === 'sort'
        ? localized(`${INTRO.en}: members cannot be sorted by metric ${named.en}, which holds personal data; their order would tell what the mask hides`, `${INTRO['zh-CN']}：不能按含个人数据的指标${named['zh-CN']}排序，排序会透露被遮盖的部分`)
        : localized(`${INTRO.en}: metric ${named.en} holds personal data, so its sums and means are not shown to your role`, `${INTRO['zh-CN']}：指标${named['zh-CN']}含个人数据，不向你的角色显示其合计与平均值`);
    throw placedProblem(CODE, { detail: text }, 'query', use, text);
  }
}
