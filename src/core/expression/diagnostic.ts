// Problems found in an expression are data: a stable code, the reason with the parameters
// its message is made of (so it can be worded in any language), the English message, the
// span they point at, what was found there and what would have been accepted.
import type { Locale } from '../locale.js';
import type { AttributeSource, AttributeType } from './catalog.js';
import type { Span } from './span.js';
import { DIAGNOSTIC_WORDING } from './wording.js';

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

/** A token as a message names it; `text` is its source text (a name in display form, quoted unless backticked). */
export type TokenDescription = { kind: 'end' } | { kind: 'string' | 'number' | 'keyword' | 'name' | 'symbol'; text: string };

/** A field or metric as a message names it. */
export interface AttributeDescription {
  source: AttributeSource;
  key: string;
  type: AttributeType;
}

/** A literal as a message names it: its kind and its printed form. */
export interface LiteralDescription {
  kind: 'string' | 'number' | 'boolean' | 'date' | 'ago';
  text: string;
}

/** Every kind of problem, with what its message says. Adding one without wording in each language does not compile. */
export interface DiagnosticParamsByReason {
  full_width_character: { char: string; ascii: string };
  unexpected_bang: Record<string, never>;
  unexpected_minus: Record<string, never>;
  unexpected_character: { char: string };
  list_bracket: { char: string };
  invisible_character: { code: string };
  operator_slip: { written: string; operator: string };
  number_too_large: { text: string };
  unterminated: { what: 'string' | 'name'; quote: string };
  empty_quoted_name: Record<string, never>;
  unknown_escape: { text: string };
  empty_expression: Record<string, never>;
  unbalanced_parenthesis: Record<string, never>;
  chinese_connective: { word: string; keyword: 'and' | 'or' };
  chinese_operator: { word: string; operator: string };
  chinese_unit: { word: string; suggestion: string };
  chinese_call: { word: string; call: 'segment' | 'tagged' };
  unexpected_token: { expected: string[]; token: TokenDescription };
  condition_starts_with_name: Record<string, never>;
  argument_not_quoted: { suggestion: string };
  keyword_as_name: { keyword: string; suggestion: string };
  not_exists: Record<string, never>;
  expected_operator: { subject: string; token: TokenDescription };
  value_not_quoted: { token: TokenDescription; suggestion: string };
  date_not_quoted: { text: string; suggestion: string };
  expected_ago: { amount: number; unit: string };
  too_deep: { max: number };
  too_deep_through_segments: { max: number; depth: number; segments: string[] };
  unknown_name: { what: 'tag' | 'segment' | 'subject'; name: string; suggestion?: string };
  archived_tag: { tag: string };
  empty_name: { what: 'tag' | 'segment' };
  unknown_tag_value: { tag: string; value: string; suggestion?: string };
  tag_value_not_text: { tag: string; literal: LiteralDescription };
  unknown_option: { source: AttributeSource; key: string; option: string; options: string[]; suggestion?: string };
  value_type_mismatch: { attribute: AttributeDescription; literal: LiteralDescription };
  invalid_date: { text: string; attribute: AttributeDescription; time: boolean };
  invalid_duration: { text: string; max: number };
  temporal_operator: { operator: string; attribute: AttributeDescription };
  ordering_operator: { operator: string; attribute: AttributeDescription };
  between_unordered: { attribute: AttributeDescription };
  has_on_attribute: { quantifier: string; attribute: AttributeDescription };
  within_not_temporal: { attribute: AttributeDescription };
  relative_equality: { attribute: AttributeDescription; text: string };
  tag_temporal_operator: { operator: string; tag: string };
  tag_needs_has: { tag: string };
  tag_not_ordered: { operator: string; tag: string };
  tag_single_has: { tag: string; quantifier: string };
  tag_within: { tag: string };
  bare_not_boolean: { attribute: AttributeDescription; example: string };
  bare_tag: { tag: string; example: string };
}

export type DiagnosticReason = keyof DiagnosticParamsByReason;

/** Which problem, and what its message says: the language-neutral form of a message. */
export type DiagnosticMessage = { [R in DiagnosticReason]: { reason: R; params: DiagnosticParamsByReason[R] } }[DiagnosticReason];

/** How one language words each kind of problem. */
export type DiagnosticWording = { [R in DiagnosticReason]: (params: DiagnosticParamsByReason[R]) => string };

export type ExpressionDiagnostic = Span &
  DiagnosticMessage & {
    code: ExpressionDiagnosticCode;
    /** In English; `diagnosticMessage` words it in another language. */
    message: string;
    /** The source text at the span; empty at the end of the input. */
    found: string;
    /** What would have been accepted there, in display form (`"="`, `"a value"`); empty when not a syntax error. */
    expected: string[];
    /** A replacement that would likely fix it: the nearest known name, or a rewritten predicate. */
    suggestion?: string;
  };

export interface DiagnosticDetails {
  expected?: string[];
  suggestion?: string | undefined;
}

function wordWith<R extends DiagnosticReason>(wording: DiagnosticWording, message: { reason: R; params: DiagnosticParamsByReason[R] }): string {
  return wording[message.reason](message.params);
}

/** The message of a diagnostic (or of its reason and parameters) in one language. */
export function diagnosticMessage(message: DiagnosticMessage, locale: Locale = 'en'): string {
  return wordWith(DIAGNOSTIC_WORDING[locale], message);
}

export function makeDiagnostic(code: ExpressionDiagnosticCode, what: DiagnosticMessage, span: Span, found: string, details: DiagnosticDetails = {}): ExpressionDiagnostic {
  const diagnostic: ExpressionDiagnostic = { code, ...what, message: diagnosticMessage(what), ...span, found, expected: details.expected ?? [] };
  if (details.suggestion !== undefined) diagnostic.suggestion = details.suggestion;
  return diagnostic;
}
