// Personal tags (个人标签) are in their owner's catalog only. Whatever everyone shares — a
// shared rule tag, a saved segment, a care plan's condition — may not read one: it would tell
// everyone whom the owner tagged, and it would stop (or read someone else's personal tag of the
// same name) whenever another staff member's catalog compiled it.
import { compileExpression, type ExpressionDependencies } from '../core/expression/index.js';
import type { TagDefinition } from '../core/tag.js';
import type { WorkspaceCatalog } from './catalog.js';

/** The first personal tag `reads` names, directly or through the saved segments it reads. */
export function personalTagRead(catalog: WorkspaceCatalog, reads: Pick<ExpressionDependencies, 'tags' | 'segments'>, except?: string): TagDefinition | undefined {
  const personal = new Map(catalog.tags.filter((tag) => tag.scope === 'personal' && tag.key !== except).map((tag) => [tag.key, tag]));
  if (personal.size === 0) return undefined;
  const tags = [...reads.tags, ...segmentTagReads(catalog, reads.segments)];
  return tags.map((key) => personal.get(key)).find((tag) => tag !== undefined);
}

/** Every tag the segments `start` read, through the segments they read too. */
function segmentTagReads(catalog: WorkspaceCatalog, start: readonly string[]): Set<string> {
  const tags = new Set<string>();
  const seen = new Set<string>();
  const pending = [...start];
  while (pending.length > 0) {
    const key = pending.pop() ?? '';
    if (seen.has(key)) continue;
    seen.add(key);
    const source = catalog.segments.get(key)?.expression;
    if (source === undefined) continue;
    const reads = compileExpression(source, catalog.catalog).dependencies;
    reads.tags.forEach((tag) => tags.add(tag));
    pending.push(...reads.segments);
  }
  return tags;
}
