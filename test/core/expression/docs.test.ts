// Keeps the reference honest: every fenced example in docs/expressions.md compiles, every
// diagnostic shown there is the one the checker gives for its expression, word for word, and the
// tables of what expressions mean agree with the evaluator.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileExpression, evaluateExpression, formatDiagnostic, parseExpression, printExpression, type ExpressionCatalog } from '../../../src/core/expression/index.js';
import * as language from '../../../src/core/expression/index.js';
import { MODEL_KINDS } from '../../../src/core/models/catalog.js';
import { RETAIL_TEMPLATE } from '../../../src/core/templates/retail.js';
import { DEMO_MODELS } from '../../../src/engine/demo/obstacles.js';
import { DEMO_SEGMENTS } from '../../../src/engine/demo/segments.js';
import { catalog, customer } from './fixture.js';

const reference = readFileSync(new URL('../../../docs/expressions.md', import.meta.url), 'utf8');

interface FencedBlock {
  /** The word after the opening fence (`ebnf`, `ts`), or '' for a plain block. */
  info: string;
  text: string;
}

/** Every fenced block of the reference, in order. */
function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let open: { info: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      if (open === undefined) open = { info: line.slice(3).trim(), lines: [] };
      else {
        blocks.push({ info: open.info, text: open.lines.join('\n') });
        open = undefined;
      }
    } else open?.lines.push(line);
  }
  if (open !== undefined) throw new Error('docs/expressions.md has a fence that is never closed');
  return blocks;
}

/** A block's expressions: one per line, without comments and blank lines. */
function expressionsOf(block: FencedBlock): string[] {
  return block.text
    .split('\n')
    .map((line) => line.replace(/--.*$/, '').trim())
    .filter((line) => line.length > 0);
}

/** The rows of the first table after `heading`, each a list of its cells, the header row first. */
function tableAfter(heading: string): string[][] {
  const start = reference.indexOf(heading);
  if (start < 0) throw new Error(`docs/expressions.md has no "${heading}"`);
  const lines = reference.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break;
    if (/^\|\s*-/.test(line)) continue;
    rows.push(line.slice(1, -1).split('|').map((cell) => cell.trim()));
  }
  return rows;
}

/** The text inside a cell's backticks: `` `age != 30` `` → `age != 30`. */
function code(cell: string): string {
  const match = /^`([^`]+)`/.exec(cell);
  if (!match?.[1]) throw new Error(`expected code in "${cell}"`);
  return match[1];
}

// The examples and diagnostics are written to be tried on the demo workspace (`tagbase demo`), so they
// are checked against its tags, segments and the metric with punctuation in its name, as the demo
// defines them, over the fixture's fields and metrics.
const values = (...names: [string, string][]) => names.map(([key, name], order) => ({ key, name, order }));
const demoCatalog: ExpressionCatalog = {
  ...catalog,
  tags: [
    { key: 'rfm', name: 'RFM等级', cardinality: 'single', ordered: true, values: values(['general_winback', '一般挽留客户'], ['general_retention', '一般保持客户'], ['general_development', '一般发展客户'], ['general_value', '一般价值客户'], ['important_winback', '重要挽留客户'], ['important_retention', '重要保持客户'], ['important_development', '重要发展客户'], ['important_value', '重要价值客户']) },
    { key: 'lifecycle', name: '生命周期', cardinality: 'single', ordered: true, values: values(['prospect', '潜在客户'], ['new', '新客户'], ['growing', '成长客户'], ['mature', '成熟客户'], ['declining', '衰退客户'], ['lost', '流失客户']) },
    { key: 'interests', name: '兴趣爱好', cardinality: 'multi', ordered: false, values: values(['golf', '高尔夫'], ['fishing', '钓鱼'], ['yoga', '瑜伽'], ['photography', '摄影'], ['travel', '旅行'], ['food', '美食']) },
    { key: 'service_stage', name: '服务阶段', cardinality: 'single', ordered: true, values: values(['pre_sale', '售前'], ['in_sale', '售中'], ['after_sale', '售后']) },
    { key: 'personality', name: '性格', cardinality: 'single', ordered: false, values: values(['irritable', '暴躁型'], ['complainer', '吐槽型'], ['amiable', '和蔼型'], ['sharer', '爱分享型']) },
    { key: 'vip_care', name: '重点关怀', cardinality: 'single', ordered: false, values: values(['yes', '是']) },
  ],
  metrics: [...catalog.metrics, { key: 'rfm_r_score', name: 'RFM·R 分（1–5）', type: 'number' }],
  segments: [
    { key: 'important_value', name: '重要价值客户' },
    { key: 'drifting_away', name: '流失风险客户' },
    { key: 'active_buyers', name: '活跃买家' },
  ],
};

const blocks = fencedBlocks(reference);
const plain = blocks.filter((block) => block.info === '');
const diagnostics = plain.filter((block) => block.text.startsWith('EXPRESSION_'));
const examples = plain.filter((block) => !block.text.startsWith('EXPRESSION_')).flatMap(expressionsOf);

describe('docs/expressions.md', () => {
  it('has examples and diagnostics, and every plain block is one or the other', () => {
    expect(examples.length).toBeGreaterThan(10);
    expect(diagnostics.length).toBeGreaterThan(10);
    // The grammar and the TypeScript shapes are labelled; anything else plain must be checked here.
    expect(blocks.filter((block) => block.info !== '').map((block) => block.info)).toEqual(['ebnf', 'ts', 'ts']);
  });

  it('names the demo’s tags and segments as the demo defines them (its template, its models and its segments)', () => {
    const shape = (tag: { name: string; cardinality?: string; ordered?: boolean }, values: readonly { key: string; name: string }[]) => ({
      name: tag.name,
      cardinality: tag.cardinality ?? 'single',
      ordered: tag.ordered ?? false,
      values: values.map((value) => [value.key, value.name]),
    });
    const defined = new Map([
      ...RETAIL_TEMPLATE.tags.map((tag) => [tag.key, shape(tag, tag.values)] as const),
      ...MODEL_KINDS.filter((kind) => (DEMO_MODELS as readonly string[]).includes(kind.key)).map((kind) => [kind.key, shape(kind, kind.values(kind.parse({}), undefined))] as const),
    ]);
    for (const tag of demoCatalog.tags) expect(shape(tag, tag.values), tag.key).toEqual(defined.get(tag.key));
    expect(demoCatalog.segments).toEqual(DEMO_SEGMENTS.map(({ key, name }) => ({ key, name })));
  });

  it.each(examples)('compiles %s', (example) => {
    expect(compileExpression(example, demoCatalog).diagnostics).toEqual([]);
  });

  it.each(diagnostics.map((block) => [block.text.split('\n')[0], block.text] as const))('shows the checker’s own words for %s', (_first, block) => {
    const source = /^1 \| (.*)$/m.exec(block)?.[1];
    if (source === undefined) throw new Error(`no expression shown in:\n${block}`);
    const [first] = compileExpression(source, demoCatalog).diagnostics;
    if (first === undefined) throw new Error(`"${source}" compiles, but the reference shows it refused`);
    expect(formatDiagnostic(source, first)).toBe(block);
  });

  it('names only functions the language exports', () => {
    // A function called in the reference (`parseExpression(source)`), other than the language's own calls.
    const called = new Set([...reference.matchAll(/`([a-z][A-Za-z]+)\(/g)].map((match) => match[1] ?? '').filter((name) => /[A-Z]/.test(name)));
    expect(called.size).toBeGreaterThan(5);
    for (const name of called) expect(typeof (language as Record<string, unknown>)[name], name).toBe('function');
  });

  it('reads precedence as it says: not, then and, then or', () => {
    const said = /So\s+`([^`]+)` is `([^`]+)`/.exec(reference);
    if (!said?.[1] || !said[2]) throw new Error('the precedence example is gone');
    const [, loose, bracketed] = said;
    const tree = (source: string) => {
      const parsed = parseExpression(source);
      if (!parsed.ast) throw new Error(`"${source}" does not parse`);
      return printExpression(parsed.ast);
    };
    expect(tree(loose)).toBe(tree(bracketed));
  });

  it('gives a missing value the answers of its table', () => {
    const [header, ...rows] = tableAfter('| customer has `age` |');
    if (!header) throw new Error('the table of missing values is gone');
    const expressions = header.slice(1).map(code);
    expect(rows).toHaveLength(3);
    for (const [age, ...answers] of rows) {
      const fields = age === '(none)' ? {} : { age: Number(age) };
      const got = expressions.map((expression) => {
        const compiled = compileExpression(expression, catalog);
        if (!compiled.bound) throw new Error(`"${expression}" does not compile`);
        return String(evaluateExpression(compiled.bound, customer({ fields }), 0));
      });
      expect(got, `age ${age}`).toEqual(answers.map((answer) => answer.replaceAll('*', '')));
    }
  });

  it('gives each expression of the table of tags the customers it names', () => {
    // Tags whose values are the letters the table uses: rfm one value, lifecycle ordered, interests several.
    const letters = (...keys: string[]) => keys.map((key, order) => ({ key, name: key, order }));
    const tagCatalog: ExpressionCatalog = {
      ...catalog,
      tags: [
        { key: 'rfm', name: 'RFM', cardinality: 'single', ordered: false, values: letters('a', 'b', 'c') },
        { key: 'lifecycle', name: '生命周期', cardinality: 'single', ordered: true, values: letters('a', 'b', '成熟客户', 'c', 'd') },
        { key: 'interests', name: '兴趣', cardinality: 'multi', ordered: false, values: letters('a', 'b', 'c') },
      ],
    };
    const holdings = [[], ['a'], ['b'], ['c'], ['a', 'b'], ['a', 'c'], ['成熟客户'], ['d']];
    // What each row's words say, as a test of the values a customer holds of the row's tag.
    const meanings: Record<string, (held: string[]) => boolean> = {
      'rfm = "a"': (held) => held.includes('a'),
      'rfm != "a"': (held) => held.length > 0 && !held.includes('a'),
      'not rfm = "a"': (held) => !held.includes('a'),
      'rfm in ("a", "b")': (held) => held.includes('a') || held.includes('b'),
      'rfm not in ("a", "b")': (held) => held.length > 0 && !held.includes('a') && !held.includes('b'),
      'lifecycle >= "成熟客户"': (held) => held.some((value) => ['成熟客户', 'c', 'd'].includes(value)),
      'lifecycle between "a" and "c"': (held) => held.some((value) => ['a', 'b', '成熟客户', 'c'].includes(value)),
      'interests has "a"': (held) => held.includes('a'),
      'interests has any ("a", "b")': (held) => held.includes('a') || held.includes('b'),
      'interests has all ("a", "b")': (held) => held.includes('a') && held.includes('b'),
      'interests has none ("a", "b")': (held) => held.length > 0 && !held.includes('a') && !held.includes('b'),
      'not interests has any ("a", "b")': (held) => !held.includes('a') && !held.includes('b'),
      'rfm exists': (held) => held.length > 0,
      'tagged("rfm")': (held) => held.length > 0,
      'rfm missing': (held) => held.length === 0,
    };
    const [, ...rows] = tableAfter('| Expression | True when the customer… |');
    const expressions = rows.flatMap(([cell]) => [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''));
    // A row added to the table is a row to say the meaning of here.
    expect(expressions.sort()).toEqual(Object.keys(meanings).sort());
    for (const expression of expressions) {
      const compiled = compileExpression(expression, tagCatalog);
      if (!compiled.bound) throw new Error(`"${expression}" does not compile`);
      const tag = compiled.dependencies.tags[0] ?? '';
      const multi = tag === 'interests';
      for (const held of holdings) {
        // One value of a single-valued tag at a time.
        if (!multi && held.length > 1) continue;
        const view = customer({ tags: held.length === 0 ? {} : { [tag]: held } });
        expect(evaluateExpression(compiled.bound, view, 0), `${expression} for a customer holding [${held.join(', ')}]`).toBe(meanings[expression]?.(held));
      }
    }
  });
});
