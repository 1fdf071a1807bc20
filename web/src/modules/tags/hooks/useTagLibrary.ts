// The workspace's visible tags and groups, with chip colours by label.
import { useMemo } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { TagGroupJson, TagJson } from '../../app/utils/types';
import { labelColors } from '../utils/tagColor';

export function useTagLibrary() {
  const tags = useApiQuery<{ items: TagJson[] }>('/tags');
  const groups = useApiQuery<{ items: TagGroupJson[] }>('/tag-groups');
  const colors = useMemo(() => labelColors(tags.data?.items ?? []), [tags.data]);
  return { tags: tags.data?.items ?? [], groups: groups.data?.items ?? [], colors, loading: tags.loading || groups.loading, reload: tags.reload };
}
