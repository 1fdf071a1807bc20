// Personal tags (个人标签) are in their owner's catalog only. Whatever everyone shares — a
// shared rule tag, a saved segment, a care plan's condition — may not read one: it would tell
// everyone whom the owner tagged, and it would stop (or read someone else's personal tag of the
// same name) whenever another staff member's catalog compiled it.
import type { ExpressionDependencies } from '../core/expression/index.js';
import type { TagDefinition } from '../core/tag.js';
import { readsThroughSegments, type WorkspaceCatalog } from './catalog.js';

/** The first personal tag `reads` names, directly or through the saved segments it reads. */
export function personalTagRead(catalog: WorkspaceCatalog, reads: Pick<ExpressionDependencies, 'tags' | 'segments'>, except?: string): TagDefinition | undefined {
  const personal = new Map(catalog.tags.filter((tag) => tag.scope === 'personal' && tag.key !== except).map((tag) => [tag.key, tag]));
  if (personal.size === 0) return undefined;
  const tags = [...reads.tags, ...readsThroughSegments(catalog, reads.segments).tags];
  return tags.map((key) => personal.get(key)).find((tag) => tag !== undefined);
}
