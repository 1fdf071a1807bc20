// The workspace's visible tags and groups, with chip colours by label.
import { useCallback, useEffect, useMemo } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { TagGroupJson, TagJson } from '../../app/utils/types';
import { labelColors } from '../utils/tagColor';

const PASS_POLL_MS = 1000;

export function useTagLibrary() {
  const tags = useApiQuery<{ items: TagJson[] }>('/tags');
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
  const passing = (tags.data?.items ?? []).some((tag) => tag.rule_pass);
  useEffect(() => {
    if (!passing || tags.loading) return;
    const timer = setTimeout(reloadTags, PASS_POLL_MS);
    return () => clearTimeout(timer);
  }, [passing, tags.loading, tags.data, reloadTags]);
  return { tags: tags.data?.items ?? [], groups: groups.data?.items ?? [], colors, loading: tags.loading || groups.loading, groupsLoading: groups.loading, reload };
}
