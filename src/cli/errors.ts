// The CLI's error printer: one readable line per error, from the same table as the API.
import { isTagbaseError } from '../core/errors.js';

export function formatCliError(error: unknown): string {
  if (isTagbaseError(error)) {
    const lines = [`error ${error.code}: ${error.message}`];
    for (const item of error.items?.slice(0, 10) ?? []) {
      const where = item.line !== undefined ? `line ${item.line}` : `item ${item.index}`;
      lines.push(`  ${where}${item.path ? ` ${item.path}` : ''}: ${item.message}`);
    }
    return lines.join('\n');
  }
  if (error instanceof Error) return `error: ${error.message}`;
  return `error: ${String(error)}`;
}
