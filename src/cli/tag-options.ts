// What `tagbase tag create` and `tag update` read from their options: a list of values written as
// people write one (重要价值客户,重要发展客户, or key=name pairs), conditions as VALUE=EXPRESSION,
// and a body checked by the API's own schema, each problem named by the option that gave it.
import type { z } from 'zod';
import { TagbaseError } from '../core/errors.js';
import { localized, type LocalizedText } from '../core/locale.js';
import { KEY_RULE, KEY_RULE_ZH, isValidKey } from '../core/names.js';
import type { TagDefinition } from '../core/tag.js';
import { REPORT_INPUT, toldIssues } from '../core/validation.js';
import type { Say } from './messages.js';

/** A value as `--values` or `--add-value` gives it. */
export interface ValueGiven {
  key: string;
  name: string;
}

const refused = (detail: LocalizedText) => new TagbaseError('VALIDATION_FAILED', { detail });

/**
 * One value, `NAME` (its key the name, when the name can be a key) or `KEY=NAME`; `option` names
 * where it was written, for the error.
 */
export function valueGiven(text: string, option: string): ValueGiven {
  const split = text.indexOf('=');
  const key = (split < 0 ? text : text.slice(0, split)).trim();
  const name = (split < 0 ? text : text.slice(split + 1)).trim();
  if (key === '' && name === '') throw refused(localized(`${option}: a value is empty: write NAME or KEY=NAME`, `${option}：有一个值是空的：请写成 名称 或 标识=名称`));
  if (name === '') throw refused(localized(`${option} "${text}": give the value's name after =, KEY=NAME`, `${option}「${text}」：请在 = 后写上值的名称，写成 标识=名称`));
  if (key === '') throw refused(localized(`${option} "${text}": give the value's key before =, KEY=NAME`, `${option}「${text}」：请在 = 前写上值的标识，写成 标识=名称`));
  if (!isValidKey(key)) {
    throw refused(
      split < 0
        ? localized(`${option} "${text}": the name cannot be the value's key (${KEY_RULE}): give one as KEY=NAME, like v1=${name}`, `${option}「${text}」：这个名称不能用作值的标识（${KEY_RULE_ZH}）：请写成 标识=名称，如 v1=${name}`)
        : localized(`${option} "${text}": "${key}" cannot be a key: ${KEY_RULE}`, `${option}「${text}」：「${key}」不能用作标识：${KEY_RULE_ZH}`),
    );
  }
  return { key, name };
}

/** `--values 重要价值客户,重要发展客户` (or with ，or 、 between them, as people type lists): each value, in order. */
export function valueList(text: string, option = '--values'): ValueGiven[] {
  return text.split(/[,，、]/).map((item) => valueGiven(item, option));
}

/** `-c VALUE=EXPRESSION`, each a value's condition by its key or name. */
export function conditionsGiven(pairs: readonly string[]): Record<string, string> {
  const conditions: Record<string, string> = {};
  for (const pair of pairs) {
    const split = pair.indexOf('=');
    const condition = pair.slice(split + 1).trim();
    if (split <= 0 || condition === '') throw refused(localized(`--condition "${pair}": write VALUE=EXPRESSION (high='spend_365d >= 1000')`, `--condition「${pair}」：请写成 值=表达式（high='spend_365d >= 1000'）`));
    conditions[pair.slice(0, split).trim()] = condition;
  }
  return conditions;
}

/**
 * `input` checked by the API's `schema`, as its body would be; each problem named by the option
 * that gave its field (`places`: a body field's option, `--color`), a value's by `--values`.
 */
export function parseTagOptions<S extends z.ZodType>(schema: S, input: unknown, places: Readonly<Record<string, LocalizedText>>): z.infer<S> {
  const result = schema.safeParse(input, REPORT_INPUT);
  if (result.success) return result.data;
  const told = toldIssues(result.error.issues).map(({ path, text }) => {
    const place = places[path[0] ?? ''] ?? localized(path.join('.'), path.join('.'));
    return { en: `${place.en}: ${text.en}`, zh: `${place['zh-CN']}：${text['zh-CN']}` };
  });
  throw refused(localized(told.map((line) => line.en).join('; '), told.map((line) => line.zh).join('；')));
}

/** A tag in a line: what kind, how many values a customer holds, who sees it. */
export function tagTraits(tag: TagDefinition, say: Say): string {
  const kind = say(tag.kind === 'rule' ? 'tag.kindRule' : 'tag.kindManual');
  const holds = say(tag.cardinality === 'multi' ? 'tag.multi' : 'tag.single');
  const scope = tag.scope === 'personal' ? say('tag.scopePersonal', { owner: tag.owner ?? '' }) : say('tag.scopeEnterprise');
  return [kind, holds, ...(tag.ordered ? [say('tag.ordered')] : []), scope].join(say('tag.traitSeparator'));
}

/** The values in their order, `key=name` where the two differ; ranked with `<` on an ordered tag. */
export function valuesLine(tag: TagDefinition): string {
  return tag.values.map((value) => (value.key === value.name ? value.name : `${value.key}=${value.name}`)).join(tag.ordered ? ' < ' : ', ');
}
