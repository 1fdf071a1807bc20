// Saved expressions as whoever reads them is shown them — segments' expressions, rule tags' and
// care plans' conditions — and taken back from a caller who was shown them masked.
import { placedProblem } from '../core/errors.js';
import { compileExpression, scanTokens } from '../core/expression/index.js';
import { localized } from '../core/locale.js';
import { maskedExpressionText } from '../core/masked-asks.js';
import { loadWorkspaceCatalog, type WorkspaceCatalog } from './catalog.js';
import type { WorkspaceContext } from './context.js';

/** How an expression is shown to whoever reads it: as written, or with its personal data masked. */
export type ExpressionShown = (source: string) => string;

export const asWritten: ExpressionShown = (source) => source;

/**
 * Saved expressions as `context`'s caller is shown them: to a role that sees personal data masked,
 * with the whole phone numbers, e-mail addresses, ID card numbers and addresses written into them
 * masked (`maskedExpressionText`), as the customers they find are, whoever wrote them.
 */
export function expressionShownIn(context: WorkspaceContext, catalog: WorkspaceCatalog): ExpressionShown {
  if (context.personalData !== 'masked') return asWritten;
  return (source) => maskedExpressionText(source, compileExpression(source, catalog.catalog).bound, catalog.metrics);
}

export async function loadExpressionShown(context: WorkspaceContext): Promise<ExpressionShown> {
  return context.personalData === 'masked' ? expressionShownIn(context, await loadWorkspaceCatalog(context)) : asWritten;
}

/**
 * The expression a caller who was shown the `saved` ones through `shown` means by `sent`, at
 * `path` in the body: the saved one it is shown as when it is what they were shown (a form that
 * sends the whole definition back, a rename), what they sent when it keeps no value they were
 * shown masked, and refused when it keeps such a value but changes the rest, which would save
 * the mask in place of the value and find nobody by it.
 */
export function expressionAsMeant(shown: ExpressionShown, saved: readonly (string | null | undefined)[], sent: string, path: string): string {
  const masked = saved.flatMap((source) => {
    if (source === null || source === undefined || source === sent) return [];
    const text = shown(source);
    return text === source ? [] : [{ source, text }];
  });
  if (masked.length === 0 || saved.includes(sent)) return sent;
  // A form trims what it sends; the text as shown is what they kept.
  const kept = masked.find((entry) => entry.text.trim() === sent.trim());
  if (kept) return kept.source;
  const hidden = [...new Set(masked.flatMap((entry) => hiddenLiterals(entry.source, entry.text)))].filter((literal) => sent.includes(literal));
  if (hidden.length === 0) return sent;
  const text = localized(
    `the expression keeps ${hidden.join(', ')}, which your role was shown masked in place of a whole value; an administrator changes those conditions, or write whole values instead`,
    `表达式保留了 ${hidden.join('、')}，这是对你的角色遮盖显示的值，不是完整的值；这些条件须由管理员修改，或改写为完整的值`,
  );
  throw placedProblem('PERSONAL_DATA_MASKED', { detail: localized(`your role sees personal data masked: ${text.en}`, `你的角色只能看到遮盖后的个人数据：${text['zh-CN']}`) }, 'body', path, text);
}

/** The masked literals `shown` writes where `saved` has whole values. */
function hiddenLiterals(saved: string, shown: string): string[] {
  const written = new Set(scanTokens(saved).tokens.map((token) => token.text));
  return [...new Set(scanTokens(shown).tokens.filter((token) => token.kind === 'string' && !written.has(token.text)).map((token) => token.text))];
}
