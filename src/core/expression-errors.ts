// An expression's diagnostics as the product's error: the first problem in the message,
// every problem with its line, column, what was found and expected in the items.
import { TagbaseError } from './errors.js';
import type { ExpressionDiagnostic } from './expression/index.js';

export function expressionError(diagnostics: readonly ExpressionDiagnostic[], index = 0): TagbaseError {
  const first = diagnostics[0];
  const detail = first ? `line ${first.line}, column ${first.column}: ${first.message}` : 'the expression is not valid';
  return new TagbaseError(
    first?.code ?? 'EXPRESSION_SYNTAX',
    { detail },
    diagnostics.map((d) => ({
      index,
      code: d.code,
      message: d.message,
      line: d.line,
      column: d.column,
      offset: d.offset,
      length: d.length,
      found: d.found,
      expected: d.expected,
      ...(d.suggestion !== undefined ? { suggestion: d.suggestion } : {}),
    })),
  );
}
