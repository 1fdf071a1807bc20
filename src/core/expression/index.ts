// The expression language's public surface: one language for rule conditions, segments
// and filters. Parse → check against a catalog → a bound tree that back ends run.
export type * from './ast.js';
export { COMPARISON_OPERATORS, HAS_QUANTIFIERS, PRESENCE_OPERATORS, TIME_UNITS } from './ast.js';
export type * from './bound.js';
export { COMPARE_OPERATORS, TAG_TESTS } from './bound.js';
export { ATTRIBUTE_TYPES, CatalogIndex, findCatalogTagValue } from './catalog.js';
export type { AttributeSource, AttributeType, CatalogAttribute, CatalogSegment, CatalogTag, CatalogTagValue, ExpressionCatalog } from './catalog.js';
export { checkExpression, type CheckResult } from './checker.js';
export { MAX_DURATION_DAYS } from './check-value.js';
export { compileExpression, type CompileResult } from './compile.js';
export { collectDependencies } from './dependencies.js';
export { diagnosticMessage, EXPRESSION_DIAGNOSTIC_CODES, type ExpressionDiagnostic, type ExpressionDiagnosticCode } from './diagnostic.js';
export { evaluateExpression, type AttributeValue, type CustomerView, type EvaluationOptions } from './evaluator.js';
export { displayWidth, formatDiagnostic } from './format-diagnostic.js';
export { expressionNesting, MAX_NESTING_DEPTH, parseExpression, type ExpressionNesting, type ParseOptions, type ParseResult } from './parser.js';
export { printExpression, printLiteral, printName, printString } from './printer.js';
export { scanTokens, type ScanResult } from './scanner.js';
export type { Span } from './span.js';
export type { Token } from './token.js';
export {
  addDays,
  anniversaryMonthDays,
  calendarDate,
  dayStart,
  daysUntilAnniversary,
  durationDays,
  isLeapYear,
  literalInstant,
  relativeDate,
  relativeInstant,
  UNIT_DAYS,
} from './time-window.js';
export { segmentNestingDiagnostic, segmentNestingMeasure, type ExpandedNesting, type SavedSegmentSource, type SegmentSourceLookup } from './segment-nesting.js';
