// The workspace's visible tags and groups, with chip colours by label; archived tags too when asked.
import { useCallback, useMemo } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useReloadWhile } from '../../app/hooks/useReloadWhile';
import type { TagGroupJson, TagJson } from '../../app/utils/types';
import { labelColors } from '../utils/tagColor';

export function useTagLibrary(options: { includeArchived?: boolean } = {}) {
  const tags = useApiQuery<{ items: TagJson[] }>(options.includeArchived ? '/tags?archived=true' : '/tags');
  const groups = useApiQuery<{ items: TagGroupJson[] }>('/tag-groups');
  const colors = useMemo(() => labelColors(tags.data?.items ?? []), [tags.data]);
  const reloadTags = tags.reload;
  const reloadGroups = groups.reload;
  // Templates add groups as well as tags, so both lists are fetched again.
  const reload = useCallback(() => {
    reloadTags();
    reloadGroups();
  }, [reloadTags, reloadGroups]);
  // While a rule's pass goes on in the background, its counts grow: the list follows it.
  useReloadWhile(tags, (tags.data?.items ?? []).some((tag) => tag.rule_pass));
  // Why the library could not be read (the database out of reach, say), to be said rather than shown as an empty library.
  const error = tags.error ?? groups.error;
  return { tags: tags.data?.items ?? [], groups: groups.data?.items ?? [], colors, loading: tags.loading || groups.loading, tagsLoading: tags.loading, groupsLoading: groups.loading, error, reload };
}
