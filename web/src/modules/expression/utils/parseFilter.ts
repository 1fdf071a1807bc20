// Reads expression text back into the visual builder when it has the builder's shape:
// conditions joined all by `and` or all by `or`, each a predicate on one tag, field or metric
// the builder can express (a boolean alone as `= true`), or membership of a saved segment (`segment("key")`), optionally
// behind one `not`. Anything else — parentheses, comments, tagged(), dates as strings, unknown
// names and segments — stays text (undefined).
import { blankCondition, type Condition, type FilterModel } from './filterModel.js';
import { RESERVED } from './lexicon.js';
import { operatorsFor, shapeOf, type Operator, type Subject, type Unit } from './subjects.js';

type Token = { kind: 'name' | 'quoted' | 'string' | 'number' | 'symbol'; text: string };

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NAME = /[\p{L}_][\p{L}\p{M}\p{N}_]*/uy;
const SYMBOLS = ['!=', '<=', '>=', '=', '<', '>', '(', ')', ','];

function unquote(source: string, start: number, quote: string): { text: string; end: number } | undefined {
  let text = '';
  let at = start + 1;
  while (at < source.length) {
    const char = source[at] as string;
    if (char === quote) return { text, end: at + 1 };
    if (char === '\n' || char === '\r') return undefined;
    if (char !== '\\') {
      text += char;
      at += 1;
      continue;
    }
    const escaped = source[at + 1];
    const simple: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", '`': '`', n: '\n', r: '\r', t: '\t', '0': '\0' };
    if (escaped !== undefined && escaped in simple) {
      text += simple[escaped];
      at += 2;
    } else if (escaped === 'u') {
      const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(source.slice(at + 2));
      const plain = /^[0-9a-fA-F]{4}/.exec(source.slice(at + 2));
      const code = braced ? parseInt(braced[1] as string, 16) : plain ? parseInt(plain[0], 16) : NaN;
      if (!(code <= 0x10ffff)) return undefined;
      text += String.fromCodePoint(code);
      at += 2 + (braced ? braced[0].length : 4);
    } else return undefined;
  }
  return undefined;
}

function tokenize(source: string): Token[] | undefined {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at] as string;
    if (/\s/u.test(char)) {
      at += 1;
      continue;
    }
    // A comment would be lost on the way back to text.
    if (source.startsWith('--', at)) return undefined;
    if (char === '"' || char === "'" || char === '`') {
      const quoted = unquote(source, at, char);
      if (!quoted || (char === '`' && quoted.text === '')) return undefined;
      tokens.push({ kind: char === '`' ? 'quoted' : 'string', text: quoted.text });
      at = quoted.end;
      continue;
    }
    NUMBER.lastIndex = at;
    const number = /[-\d]/.test(char) ? NUMBER.exec(source) : null;
    if (number) {
      tokens.push({ kind: 'number', text: number[0] });
      at += number[0].length;
      continue;
    }
    NAME.lastIndex = at;
    const name = NAME.exec(source);
    if (name) {
      tokens.push({ kind: 'name', text: name[0] });
      at += name[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => source.startsWith(candidate, at));
    if (!symbol) return undefined;
    tokens.push({ kind: 'symbol', text: symbol });
    at += symbol.length;
  }
  return tokens;
}

const UNIT_OF: Record<string, Unit> = { day: 'days', days: 'days', week: 'weeks', weeks: 'weeks', month: 'months', months: 'months', year: 'years', years: 'years' };

/** Name → subject, key before name before other names, tags before fields before metrics (as the server resolves); a name shown only for reading (`written`) is not one. */
export function subjectLookup(subjects: readonly Subject[], kinds: readonly Subject['kind'][] = ['tag', 'field', 'metric']): Map<string, Subject> {
  const lookup = new Map<string, Subject>();
  for (const kind of kinds) for (const subject of subjects) if (subject.kind === kind && !lookup.has(subject.key)) lookup.set(subject.key, subject);
  for (const kind of kinds) for (const subject of subjects) if (subject.kind === kind && !lookup.has(subject.written ?? subject.name)) lookup.set(subject.written ?? subject.name, subject);
  for (const kind of kinds) for (const subject of subjects) if (subject.kind === kind) for (const alias of subject.aliases ?? []) if (!lookup.has(alias)) lookup.set(alias, subject);
  return lookup;
}

function optionOf(subject: Subject, text: string): string | undefined {
  if (subject.type === 'string') return text;
  return (subject.options.find((option) => option.value === text) ?? subject.options.find((option) => (option.written ?? option.label) === text || option.aliases?.includes(text)))?.value;
}

class Reader {
  at = 0;
  constructor(readonly tokens: Token[]) {}
  peek(): Token | undefined {
    return this.tokens[this.at];
  }
  take(): Token | undefined {
    return this.tokens[this.at++];
  }
  keyword(word: string): boolean {
    const token = this.peek();
    if (token?.kind === 'name' && token.text.toLowerCase() === word) {
      this.at += 1;
      return true;
    }
    return false;
  }
  symbol(text: string): boolean {
    const token = this.peek();
    if (token?.kind === 'symbol' && token.text === text) {
      this.at += 1;
      return true;
    }
    return false;
  }
  /** A literal: quoted text, a number, or true/false — as [kind, text]. */
  literal(): Token | undefined {
    const token = this.take();
    if (token?.kind === 'string' || token?.kind === 'number') return token;
    if (token?.kind === 'name' && ['true', 'false'].includes(token.text.toLowerCase())) return { kind: 'name', text: token.text.toLowerCase() };
    return undefined;
  }
  list(): Token[] | undefined {
    if (!this.symbol('(')) return undefined;
    const items: Token[] = [];
    do {
      const item = this.literal();
      if (!item) return undefined;
      items.push(item);
    } while (this.symbol(','));
    return this.symbol(')') ? items : undefined;
  }
  duration(): { count: string; unit: Unit } | undefined {
    const count = this.take();
    const unit = this.take();
    if (count?.kind !== 'number' || unit?.kind !== 'name') return undefined;
    const resolved = UNIT_OF[unit.text.toLowerCase()];
    const n = Number(count.text);
    return resolved && Number.isInteger(n) && n >= 0 ? { count: String(n), unit: resolved } : undefined;
  }
}

/** `segment("key")` (the key or the name of a saved segment), after its word. */
function membership(reader: Reader, segments: ReadonlyMap<string, Subject>): (Subject & { written: string }) | undefined {
  if (!reader.symbol('(')) return undefined;
  const argument = reader.take();
  if (argument?.kind !== 'string' || !reader.symbol(')')) return undefined;
  const segment = segments.get(argument.text);
  return segment && { ...segment, written: argument.text };
}

function condition(reader: Reader, lookup: ReadonlyMap<string, Subject>, segments: ReadonlyMap<string, Subject>): Condition | undefined {
  const not = reader.keyword('not');
  const call = reader.peek();
  const following = reader.tokens[reader.at + 1];
  if (call?.kind === 'name' && call.text.toLowerCase() === 'segment' && following?.kind === 'symbol' && following.text === '(') {
    reader.take();
    const segment = membership(reader, segments);
    return segment ? { ...blankCondition(), not, subject: segment.id, operator: 'member', spelling: { subject: segment.id, name: segment.written, values: new Map() } } : undefined;
  }
  const name = reader.take();
  if (!name || (name.kind !== 'name' && name.kind !== 'quoted') || (name.kind === 'name' && RESERVED.has(name.text.toLowerCase()))) return undefined;
  const subject = lookup.get(name.text);
  if (!subject) return undefined;
  let operator: Operator;
  let literals: Token[] = [];
  let unit: Unit = 'days';
  const next = reader.peek();
  // A boolean alone (`has_phone and …`) is `has_phone = true`, as the server reads it.
  const alone = next === undefined || (next.kind === 'name' && ['and', 'or'].includes(next.text.toLowerCase()));
  if (alone && subject.type === 'boolean') {
    operator = '=';
    literals = [{ kind: 'name', text: 'true' }];
  } else if (next?.kind === 'symbol' && ['=', '!=', '<', '<=', '>', '>='].includes(next.text)) {
    reader.take();
    operator = next.text as Operator;
    const value = reader.literal();
    if (!value) return undefined;
    literals = [value];
  } else if (reader.keyword('not')) {
    if (!reader.keyword('in')) return undefined;
    operator = 'not in';
    const items = reader.list();
    if (!items) return undefined;
    literals = items;
  } else if (reader.keyword('in')) {
    operator = 'in';
    const items = reader.list();
    if (!items) return undefined;
    literals = items;
  } else if (reader.keyword('has')) {
    const which = ['any', 'all', 'none'].find((word) => reader.keyword(word));
    const items = reader.list();
    if (!which || !items) return undefined;
    operator = `has ${which}` as Operator;
    literals = items;
  } else if (reader.keyword('between')) {
    const low = reader.literal();
    if (!low || !reader.keyword('and')) return undefined;
    const high = reader.literal();
    if (!high) return undefined;
    operator = 'between';
    literals = [low, high];
  } else if (reader.keyword('exists') || reader.keyword('missing')) {
    operator = (reader.tokens[reader.at - 1] as Token).text.toLowerCase() as Operator;
  } else if (reader.keyword('before') || reader.keyword('after')) {
    operator = (reader.tokens[reader.at - 1] as Token).text.toLowerCase() as Operator;
    const span = reader.duration();
    if (!span || !reader.keyword('ago')) return undefined;
    literals = [{ kind: 'number', text: span.count }];
    unit = span.unit;
  } else if (reader.keyword('within')) {
    operator = 'within';
    const span = reader.duration();
    if (!span) return undefined;
    literals = [{ kind: 'number', text: span.count }];
    unit = span.unit;
  } else return undefined;

  if (!operatorsFor(subject).includes(operator)) return undefined;
  const shape = shapeOf(subject, operator);
  const values: string[] = [];
  const spelled = new Map<string, string>();
  for (const literal of literals) {
    if (shape === 'one' || shape === 'many') {
      if (literal.kind !== 'string') return undefined;
      const option = optionOf(subject, literal.text);
      if (option === undefined) return undefined;
      values.push(option);
      spelled.set(option, literal.text);
    } else if (shape === 'number' || shape === 'range' || shape === 'duration') {
      if (literal.kind !== 'number') return undefined;
      values.push(String(Number(literal.text)));
    } else if (shape === 'boolean') {
      if (literal.kind !== 'name') return undefined;
      values.push(literal.text);
    }
  }
  return { ...blankCondition(), not, subject: subject.id, operator, values, unit, spelling: { subject: subject.id, name: name.text, values: spelled } };
}

export function parseFilter(source: string, subjects: readonly Subject[]): FilterModel | undefined {
  const tokens = tokenize(source);
  if (!tokens) return undefined;
  if (tokens.length === 0) return { join: 'and', conditions: [blankCondition()] };
  const reader = new Reader(tokens);
  const lookup = subjectLookup(subjects);
  const segments = subjectLookup(subjects, ['segment']);
  const conditions: Condition[] = [];
  let join: 'and' | 'or' | undefined;
  for (;;) {
    const parsed = condition(reader, lookup, segments);
    if (!parsed) return undefined;
    conditions.push(parsed);
    if (reader.peek() === undefined) break;
    const word = reader.keyword('and') ? 'and' : reader.keyword('or') ? 'or' : undefined;
    if (!word || (join !== undefined && join !== word)) return undefined;
    join = word;
  }
  return { join: join ?? 'and', conditions };
}
