// Source text to bound tree in one call: parse, then check against the catalog.
import type { Expression } from './ast.js';
import type { BoundExpression, ExpressionDependencies } from './bound.js';
import { CatalogIndex, type ExpressionCatalog } from './catalog.js';
import { checkExpression } from './checker.js';
import { collectDependencies } from './dependencies.js';
import type { ExpressionDiagnostic } from './diagnostic.js';
import { parseExpression } from './parser.js';

export interface CompileResult {
  /** Present when the text parsed, even if it did not check. */
  ast?: Expression;
  /** Present exactly when there are no diagnostics. */
  bound?: BoundExpression;
  diagnostics: ExpressionDiagnostic[];
  dependencies: ExpressionDependencies;
}

export function compileExpression(source: string, catalog: ExpressionCatalog | CatalogIndex): CompileResult {
  const index = catalog instanceof CatalogIndex ? catalog : new CatalogIndex(catalog);
  const parsed = parseExpression(source, { isKnownSubject: (name) => index.subject(name) !== undefined });
  if (parsed.ast === undefined) return { diagnostics: parsed.diagnostics, dependencies: collectDependencies(undefined) };
  const checked = checkExpression(parsed.ast, index);
  // The checker sees only the tree and gives a span's canonical form; `found` is the text as typed
  // (`lc has "新客户"`, not `lc has any ("新客户")`), as the parser's diagnostics give it.
  const diagnostics = checked.diagnostics.map((diagnostic) => ({ ...diagnostic, found: source.slice(diagnostic.offset, diagnostic.offset + diagnostic.length) }));
  return checked.bound === undefined
    ? { ast: parsed.ast, diagnostics, dependencies: checked.dependencies }
    : { ast: parsed.ast, bound: checked.bound, diagnostics: [], dependencies: checked.dependencies };
}
