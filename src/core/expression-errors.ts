// An expression's diagnostics as the product's error: the first problem in the message,
// every problem with its line, column, what was found and expected in the items, worded in
// each language from the diagnostic's reason and parameters.
import { TagbaseError, type ItemError } from './errors.js';
import { diagnosticMessage, type ExpressionDiagnostic } from './expression/diagnostic.js';
import { localized, type LocalizedText } from './locale.js';

/** A diagnostic's message in every language. */
export function diagnosticText(diagnostic: ExpressionDiagnostic): LocalizedText {
  return localized(diagnostic.message, diagnosticMessage(diagnostic, 'zh-CN'));
}

/** "line 2, column 5: …" in every language. */
export function diagnosticWithPlace(diagnostic: ExpressionDiagnostic): LocalizedText {
  const text = diagnosticText(diagnostic);
  return localized(`line ${diagnostic.line}, column ${diagnostic.column}: ${text.en}`, `第 ${diagnostic.line} 行第 ${diagnostic.column} 列：${text['zh-CN']}`);
}

/** The item error for one diagnostic; `index` is the batch item, `path` where the expression sits. */
export function diagnosticItem(diagnostic: ExpressionDiagnostic, index = 0, path?: string): ItemError {
  return {
    index,
    code: diagnostic.code,
    message: diagnostic.message,
    localized: diagnosticText(diagnostic),
    ...(path !== undefined ? { path } : {}),
    line: diagnostic.line,
    column: diagnostic.column,
    offset: diagnostic.offset,
    length: diagnostic.length,
    found: diagnostic.found,
    expected: diagnostic.expected,
    ...(diagnostic.suggestion !== undefined ? { suggestion: diagnostic.suggestion } : {}),
    reason: diagnostic.reason,
    params: diagnostic.params,
  };
}

export function expressionError(diagnostics: readonly ExpressionDiagnostic[], index = 0): TagbaseError {
  const first = diagnostics[0];
  const detail = first ? diagnosticWithPlace(first) : localized('the expression is not valid', '表达式无效');
  return new TagbaseError(
    first?.code ?? 'EXPRESSION_SYNTAX',
    { detail },
    diagnostics.map((d) => diagnosticItem(d, index)),
  );
}
