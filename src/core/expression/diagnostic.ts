// Problems found in an expression are data: a stable code, an English message, the span
// they point at, what was found there and what would have been accepted.
import type { Span } from './span.js';

export const EXPRESSION_DIAGNOSTIC_CODES = [
  /** The text is not a sentence of the language (bad token, missing operand, unbalanced parentheses). */
  'EXPRESSION_SYNTAX',
  /** A tag, field, metric, segment, tag value or enum option that the catalog does not know. */
  'EXPRESSION_UNKNOWN_NAME',
  /** An operator or value that does not fit the type of what it is applied to. */
  'EXPRESSION_TYPE',
  /** A value of the right type that is still not valid (2026-02-30, 1.5 days). */
  'EXPRESSION_INVALID_VALUE',
] as const;

export type ExpressionDiagnosticCode = (typeof EXPRESSION_DIAGNOSTIC_CODES)[number];

export interface ExpressionDiagnostic extends Span {
  code: ExpressionDiagnosticCode;
  message: string;
  /** The source text at the span; empty at the end of the input. */
  found: string;
  /** What would have been accepted there, in display form (`"="`, `"a value"`); empty when not a syntax error. */
  expected: string[];
  /** A replacement that would likely fix it: the nearest known name, or a rewritten predicate. */
  suggestion?: string;
}

export interface DiagnosticDetails {
  expected?: string[];
  suggestion?: string | undefined;
}

export function makeDiagnostic(code: ExpressionDiagnosticCode, message: string, span: Span, found: string, details: DiagnosticDetails = {}): ExpressionDiagnostic {
  const diagnostic: ExpressionDiagnostic = { code, message, ...span, found, expected: details.expected ?? [] };
  if (details.suggestion !== undefined) diagnostic.suggestion = details.suggestion;
  return diagnostic;
}
