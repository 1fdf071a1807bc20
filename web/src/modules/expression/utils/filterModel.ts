// The visual builder's working copy: conditions joined by one `and` or `or`, each optionally
// negated, and the expression text it stands for.
import { quoteName, quoteString } from './lexicon.js';
import { shapeOf, type Operator, type Subject, type Unit } from './subjects.js';

export interface Condition {
  /** Stable across edits, for React keys. */
  id: string;
  not: boolean;
  subject: string | undefined;
  operator: Operator | undefined;
  /** Tag value keys, enum options or text; numbers and day counts as typed. */
  values: string[];
  unit: Unit;
  /** How the text read into the builder wrote this condition, so that writing it again keeps that. */
  spelling?: Spelling;
}

/**
 * The words a condition read from text was written in: its subject (or saved segment) and its
 * values as the operator typed them, by name (`RFM等级 = "重要价值客户"`) or by key. The builder
 * writes what it is given by key; what it read is written back as it was, not in other words.
 */
export interface Spelling {
  /** The subject's id the spelling belongs to: a condition given another subject writes it by key. */
  subject: string;
  name: string;
  /** Value key or option → the text it was written as. */
  values: ReadonlyMap<string, string>;
}

export interface FilterModel {
  join: 'and' | 'or';
  conditions: Condition[];
}

let next = 0;
export const newConditionId = () => `c${++next}`;

export function blankCondition(): Condition {
  return { id: newConditionId(), not: false, subject: undefined, operator: undefined, values: [], unit: 'days' };
}

export function emptyModel(): FilterModel {
  return { join: 'and', conditions: [blankCondition()] };
}

const isNumber = (text: string | undefined) => text !== undefined && text.trim() !== '' && Number.isFinite(Number(text));
const isCount = (text: string | undefined) => isNumber(text) && Number.isInteger(Number(text)) && Number(text) >= 0;

function duration(count: string, unit: Unit): string {
  const n = Number(count);
  return `${n} ${n === 1 ? unit.slice(0, -1) : unit}`;
}

/** One condition as text, or undefined while it is incomplete (it is then left out). */
export function writeCondition(condition: Condition, subjects: ReadonlyMap<string, Subject>): string | undefined {
  const subject = condition.subject === undefined ? undefined : subjects.get(condition.subject);
  const operator = condition.operator;
  if (!subject || !operator) return undefined;
  const spelled = condition.spelling?.subject === subject.id ? condition.spelling : undefined;
  const text = (value: string) => quoteString(spelled?.values.get(value) ?? value);
  if (subject.kind === 'segment') return `${condition.not ? 'not ' : ''}segment(${quoteString(spelled?.name ?? subject.key)})`;
  const [first, second] = condition.values;
  let predicate: string | undefined;
  switch (shapeOf(subject, operator)) {
    case 'none':
      predicate = operator;
      break;
    case 'one':
      predicate = first === undefined || first === '' ? undefined : `${operator} ${text(first)}`;
      break;
    case 'many':
      predicate = condition.values.length === 0 ? undefined : `${operator} (${condition.values.map(text).join(', ')})`;
      break;
    case 'number':
      predicate = isNumber(first) ? `${operator} ${Number(first)}` : undefined;
      break;
    case 'range':
      predicate = isNumber(first) && isNumber(second) ? `between ${Number(first)} and ${Number(second)}` : undefined;
      break;
    case 'duration':
      predicate = !isCount(first) || first === undefined ? undefined : operator === 'within' ? `within ${duration(first, condition.unit)}` : `${operator} ${duration(first, condition.unit)} ago`;
      break;
    case 'boolean':
      predicate = first === 'true' || first === 'false' ? `= ${first}` : undefined;
      break;
  }
  if (predicate === undefined) return undefined;
  return `${condition.not ? 'not ' : ''}${quoteName(spelled?.name ?? subject.key)} ${predicate}`;
}

export function writeFilter(model: FilterModel, subjects: ReadonlyMap<string, Subject>): string {
  return model.conditions
    .map((condition) => writeCondition(condition, subjects))
    .filter((text): text is string => text !== undefined)
    .join(` ${model.join} `);
}
