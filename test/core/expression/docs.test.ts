// Keeps the reference honest: every example expression in docs/expressions.md compiles.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../src/core/expression/index.js';
import { catalog } from './fixture.js';

const reference = readFileSync(new URL('../../../docs/expressions.md', import.meta.url), 'utf8');

/** The lines of the first fenced block after `heading`, without comments and blank lines. */
function examplesAfter(heading: string): string[] {
  const start = reference.indexOf(heading);
  const open = reference.indexOf('```\n', start);
  const close = reference.indexOf('```', open + 4);
  return reference
    .slice(open + 4, close)
    .split('\n')
    .map((line) => line.replace(/--.*$/, '').trim())
    .filter((line) => line.length > 0);
}

describe('docs/expressions.md', () => {
  const examples = [...examplesAfter('# Expressions'), ...examplesAfter('## More examples')];

  it('has examples', () => {
    expect(examples.length).toBeGreaterThan(10);
  });

  it.each(examples)('compiles %s', (example) => {
    expect(compileExpression(example, catalog).diagnostics).toEqual([]);
  });
});
