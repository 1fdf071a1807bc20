// State of one checker run: the catalog lookups and the diagnostics found so far. The
// checker keeps going after a problem, so one run reports every unknown name and mismatch.
import type { CatalogIndex } from './catalog.js';
import { makeDiagnostic, type DiagnosticDetails, type DiagnosticMessage, type ExpressionDiagnostic, type ExpressionDiagnosticCode } from './diagnostic.js';
import type { Span } from './span.js';

export class CheckContext {
  readonly diagnostics: ExpressionDiagnostic[] = [];

  constructor(readonly index: CatalogIndex) {}

  /** Records a problem; returns undefined so a binder can `return context.report(…)`. */
  report(code: ExpressionDiagnosticCode, message: DiagnosticMessage, span: Span, found: string, details: DiagnosticDetails = {}): undefined {
    this.diagnostics.push(makeDiagnostic(code, message, span, found, details));
    return undefined;
  }
}

/** Binds every item, so all of their problems are reported; undefined if any failed. */
export function bindAll<T, B>(items: readonly T[], bind: (item: T) => B | undefined): B[] | undefined {
  const bound = items.map(bind);
  const result: B[] = [];
  for (const item of bound) {
    if (item === undefined) return undefined;
    result.push(item);
  }
  return result;
}
