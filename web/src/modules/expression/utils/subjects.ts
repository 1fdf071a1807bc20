// What a condition of the visual builder can test, and which operators fit each: the rows of
// the operator table in docs/expressions.md that the builder offers, and membership of a saved
// segment (`segment("key")`, so that one segment is built on others).

export type SubjectKind = 'tag' | 'field' | 'metric' | 'segment';
export type SubjectType = 'tag' | 'string' | 'number' | 'boolean' | 'date' | 'timestamp' | 'enum' | 'segment';

export interface SubjectOption {
  value: string;
  label: string;
  /** Other spellings the server accepts for this option (an enum's Chinese display name). */
  aliases?: string[];
  /** The name a typed expression gives it, where `label` is none the server reads (a model's value in the catalog's English words). */
  written?: string;
}

export interface Subject {
  /** `kind:key`, unique across kinds (a field and a metric may share a key). */
  id: string;
  kind: SubjectKind;
  key: string;
  /** The display name, in the reader's language. */
  name: string;
  /** Other names a typed expression may use for it (a metric's Chinese name in English mode). */
  aliases?: string[];
  /** The name a typed expression gives it, where `name` is none the server reads (a model's tag in the catalog's English words). */
  written?: string;
  type: SubjectType;
  multi: boolean;
  ordered: boolean;
  /** Tag values or enum options, with their display names. */
  options: SubjectOption[];
}

export type Operator = 'member' | '=' | '!=' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'has any' | 'has all' | 'has none' | 'between' | 'before' | 'after' | 'within' | 'exists' | 'missing';

export type Unit = 'days' | 'weeks' | 'months' | 'years';
export const UNITS: readonly Unit[] = ['days', 'weeks', 'months', 'years'];

export function operatorsFor(subject: Subject): Operator[] {
  switch (subject.type) {
    case 'segment':
      return ['member'];
    case 'tag':
      return subject.multi ? ['has any', 'has all', 'has none', 'exists', 'missing'] : ['=', '!=', 'in', 'not in', ...(subject.ordered ? (['>=', '<='] as const) : []), 'exists', 'missing'];
    case 'number':
      return ['=', '!=', '>', '>=', '<', '<=', 'between', 'exists', 'missing'];
    case 'date':
    case 'timestamp':
      return ['before', 'after', 'within', 'exists', 'missing'];
    case 'boolean':
      return ['=', 'exists', 'missing'];
    case 'enum':
    case 'string':
      return ['=', '!=', 'in', 'not in', 'exists', 'missing'];
  }
}

/** What the value part of a condition looks like for an operator on a subject. */
export type ValueShape = 'none' | 'one' | 'many' | 'number' | 'range' | 'duration' | 'boolean';

export function shapeOf(subject: Subject, operator: Operator): ValueShape {
  if (operator === 'member' || operator === 'exists' || operator === 'missing') return 'none';
  if (operator === 'before' || operator === 'after' || operator === 'within') return 'duration';
  if (operator === 'between') return 'range';
  if (subject.type === 'boolean') return 'boolean';
  if (subject.type === 'number') return 'number';
  return operator === 'in' || operator === 'not in' || operator.startsWith('has ') ? 'many' : 'one';
}
