// `tagbase tag delete KEY --yes`: a tag nothing depends on goes for good, as DELETE
// /api/v1/tags/{tag} deletes it; without --yes, what would go, nothing changed.
import type { Locale } from '../core/locale.js';
import { deleteTag, tagToDelete } from '../engine/tag-deletion.js';
import { inCommandWorkspace } from './store-options.js';

export interface TagDeleteOptions {
  workspace: string;
  database?: string | undefined;
  /** Who acts: the audit trail names them, and a personal tag is found only by its owner. */
  actor?: string | undefined;
  locale?: Locale | undefined;
  yes: boolean;
}

/**
 * Only with --yes, as `segment delete` and `workspace delete`, since it cannot be undone. A tag
 * that is not there, or that something depends on, is said first: a --yes asked for would delete nothing.
 */
export function deleteTagCommand(key: string, options: TagDeleteOptions): Promise<{ text: string; done: boolean }> {
  return inCommandWorkspace(options, async (context, say) => {
    const { tag, history } = await tagToDelete(context, key);
    if (!options.yes) return { text: say('tag.deleteAsk', { name: tag.name, key: tag.key, values: tag.values.length, history }), done: false };
    const deleted = await deleteTag(context, tag.key, { actor: context.actor, source: 'cli' });
    return { text: say('tag.deleted', { name: deleted.name, key: deleted.key, values: deleted.values, history: deleted.history }), done: true };
  });
}
